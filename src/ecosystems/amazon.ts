import type { Distribution } from './types.js';
import { DNF, YUM } from './managers.js';

/** Amazon Linux 2 (yum) and 2023 (dnf): rpm, `Amazon Linux:2`, `Amazon Linux:2023`; no feed Vigil reads yet (ALAS). */
export const amazon: Distribution = {
  id: 'amazon',
  osIds: ['amzn'],
  packages: 'rpm',
  scheme: 'rpm',
  advisoryEcosystems: ['Amazon Linux'],
  namespace: (os) => (os.versionId === '2' || os.versionId === '2023' ? `Amazon Linux:${os.versionId}` : undefined),
  bySource: false,
  // Amazon Linux 2 has yum only.
  manager: (versionId) => (versionId === '2' ? YUM : DNF),
  feeds: [],
};

