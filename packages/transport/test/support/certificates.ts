import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temp folder for generated certificates; `remove()` deletes it. */
export function certificateDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bbws-tls-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A self-signed P-256 certificate for `host`, made with the openssl CLI; `label` ends up in
 * the subject's O field, so a test can tell two certificates for one host apart.
 */
export function makeCertificate(
  dir: string,
  name: string,
  host: string,
  label = 'v1',
): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const tmpCert = `${cert}.tmp`;
  const tmpKey = `${key}.tmp`;
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      tmpKey,
      '-out',
      tmpCert,
      '-days',
      '2',
      '-subj',
      `/CN=${host}/O=${label}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    ],
    { stdio: 'ignore' },
  );
  // Rename: a watcher never sees a half-written file.
  fs.renameSync(tmpKey, key);
  fs.renameSync(tmpCert, cert);
  return { cert, key };
}
