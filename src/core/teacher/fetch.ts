/**
 * fetch for the openai client. The client reads an error's message only from `{"error": ...}`;
 * older vLLM answers `{"object": "error", "message": ...}` and FastAPI servers `{"detail": ...}`.
 * Rewrapping those keeps the server's words, which is how a context-length error is recognised.
 */
export async function errorBodyFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (response.ok) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && !('error' in body)) {
    const b = body as Record<string, unknown>;
    const message = b.message ?? b.detail;
    if (message !== undefined) {
      const rewrapped = { error: { ...b, message: typeof message === 'string' ? message : JSON.stringify(message) } };
      return new Response(JSON.stringify(rewrapped), { status: response.status, statusText: response.statusText, headers: response.headers });
    }
  }
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}
