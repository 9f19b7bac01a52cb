/** A Disposable base class: subclasses `_register` what they own; `dispose` frees it once, newest first. */
export interface DisposableLike {
  dispose(): unknown;
}

export abstract class Disposable implements DisposableLike {
  private readonly _disposables: DisposableLike[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Takes ownership of `d`; disposes it at once if this object is already disposed. */
  protected _register<T extends DisposableLike>(d: T): T {
    if (this._isDisposed) d.dispose();
    else this._disposables.push(d);
    return d;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    while (this._disposables.length > 0) {
      const d = this._disposables.pop();
      try {
        d?.dispose();
      } catch {
        // keep disposing the rest
      }
    }
  }
}
