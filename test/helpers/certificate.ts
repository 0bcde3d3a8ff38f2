// A self-signed certificate for 127.0.0.1 and localhost, made in the test (selfsigned), to serve HTTPS and
// to trust as the only CA of the test's clients.
import { generate } from 'selfsigned';

export interface TestCertificate {
  key: string;
  cert: string;
  /** SHA-256, `AB:CD:…` */
  fingerprint: string;
}

export async function selfSignedCertificate(): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      { name: 'extKeyUsage', serverAuth: true },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint: pems.fingerprint };
}
