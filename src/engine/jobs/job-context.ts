import type { JobOptions } from '../util/job';
import type { EncoderProvider } from '../encoders/provider';
import type { JobSecrets } from './protocol';

/**
 * What a job function gets besides its params: the cancel signal, a progress listener, the
 * secrets of its caller (SecretStorage in the extension, the environment in the CLI), and, in
 * process only, the encoder providers to resolve specs with (default: the registry's; tests
 * pass their own through the CLI's io).
 */
export interface JobContext extends JobOptions {
  secrets: JobSecrets;
  encoderProviders?: readonly EncoderProvider[];
}
