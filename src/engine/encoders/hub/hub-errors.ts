/** A Hub request failed; the message names the model, the file and what to do. */
export class HubError extends Error {
  override name = 'HubError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Turns an HTTP failure status into a HubError that says what went wrong and what to do. */
export function hubStatusError(status: number, repoId: string, what: string, hadToken: boolean, serverMessage?: string): HubError {
  const detail = serverMessage ? ` (${serverMessage})` : '';
  if (status === 401 || status === 403) {
    const advice = hadToken
      ? 'the HF token was refused or has no access to it: check the token, and accept the model licence on the Hub'
      : 'the model is gated or private: set a Hugging Face token in HF_TOKEN (or HUGGING_FACE_HUB_TOKEN, or the extension settings) and accept its licence on the Hub';
    return new HubError(`${repoId}: HTTP ${status} for ${what}: ${advice}${detail}`, status);
  }
  if (status === 404) {
    return new HubError(`${repoId}: not found on the Hub (HTTP 404 for ${what}): check the model id, the revision and the file name${detail}`, status);
  }
  return new HubError(`${repoId}: HTTP ${status} for ${what}${detail}`, status);
}

/** Reads a short error message from a Hub error body ({"error": "..."}), if any. */
export async function readServerMessage(res: Response): Promise<string | undefined> {
  try {
    const text = (await res.text()).slice(0, 2000);
    try {
      const body = JSON.parse(text) as { error?: unknown; message?: unknown };
      const m = body.error ?? body.message;
      if (typeof m === 'string') return m.slice(0, 300);
    } catch {
      /* not JSON */
    }
    return text.trim().slice(0, 300) || undefined;
  } catch {
    return undefined;
  }
}
