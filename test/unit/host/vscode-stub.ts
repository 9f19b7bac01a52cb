/**
 * A stand-in for the `vscode` module, so host modules can be imported in plain Node
 * (commands only touch `vscode` when they run). Any property is another stub; calling
 * or constructing one returns a stub.
 */
import Module from 'node:module';

function makeStub(name: string): unknown {
  const fn = function () {
    return makeStub(`${name}()`);
  };
  return new Proxy(fn, {
    get(_target, prop) {
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'then') return undefined;
      return makeStub(`${name}.${String(prop)}`);
    },
    construct() {
      return makeStub(`new ${name}`) as object;
    },
  });
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Loader };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function (request, parent, isMain) {
  if (request === 'vscode') return makeStub('vscode');
  return originalLoad.call(this, request, parent, isMain);
};
