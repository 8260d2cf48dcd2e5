import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * One HTTP(S) request of the CLI to the API. Over HTTPS the server's certificate is
 * checked against the system's CAs plus `ca` (PEM texts): the fleet CA of a server on
 * this host, or the file VIGIL_API_CA names, so an operator certificate or the
 * server's own needs no NODE_EXTRA_CA_CERTS.
 */

export interface HttpAnswer {
  status: number;
  text: string;
}

export function httpRequest(url: URL, opts: { method: string; headers: Record<string, string>; body?: string; ca?: string[] }): Promise<HttpAnswer> {
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body, 'utf8');
  const headers = body ? { ...opts.headers, 'content-length': String(body.length) } : opts.headers;
  return new Promise((resolve, reject) => {
    const done = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req =
      url.protocol === 'https:'
        ? https.request(url, { method: opts.method, headers, ...(opts.ca?.length ? { ca: [...rootCertificates, ...opts.ca] } : {}) }, done)
        : http.request(url, { method: opts.method, headers }, done);
    req.on('error', reject);
    req.end(body);
  });
}

/** What a TLS failure means to someone who runs the CLI, or undefined when it is not one. */
export function tlsAdvice(err: NodeJS.ErrnoException): string | undefined {
  const code = err.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) return `its certificate is not trusted (${code}); set VIGIL_API_CA to the PEM file of the CA that signed it`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `its certificate does not name this host (${code}); use an address the certificate names`;
  return undefined;
}
