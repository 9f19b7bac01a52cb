import type { EncoderProvider } from '../provider';
import { InputError } from '../../util/errors';
import { looksLikeEndpointSpec, parseEndpointSpec } from './endpoint-spec';
import { HttpEncoder } from './http-encoder';
import { apiKeyFromEnv } from '../../env';
import { isLoopbackUrl } from '../../http/endpoint-url';


/** OpenAI-compatible embedding endpoints: `http(s)://host[:port][/v1[/embeddings]][?model=…&dimensions=…][#model]`. */
export const httpEncoderProvider: EncoderProvider = {
  kind: 'http',
  describe:
    'an OpenAI-compatible endpoint: http(s)://host[:port][/v1/embeddings][?model=name&dimensions=256&batch_size=64] or …#model; key from EMBEDLAB_API_KEY / OPENAI_API_KEY',
  matches: looksLikeEndpointSpec,
  async create(spec, context) {
    const endpoint = parseEndpointSpec(spec);
    if (context.offline && !isLoopbackUrl(endpoint.url)) {
      throw new InputError(`offline mode is on: cannot call ${endpoint.id.replace(/^http:/, '')}`, { field: 'encoder' });
    }
    return HttpEncoder.create(endpoint, { apiKey: context.apiKey || apiKeyFromEnv(), signal: context.signal, onProgress: context.onProgress });
  },
};
