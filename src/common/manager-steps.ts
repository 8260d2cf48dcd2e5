import type { PackageManager } from './signing.js';

/*
 * The package manager steps a patch command runs, shared by the executor (which runs
 * them) and the server (which shows them before a job is created), so a preview is
 * the argv the executor will run.
 */

export interface Step {
  argv: string[];
  /** false for index refreshes: their failure is recorded, and the upgrade still runs. */
  required: boolean;
}

/**
 * The fixed argv of each step for a manager. Package names come last, one entry
 * each, after the fixed options; their grammar (src/common/signing.ts) makes them
 * start with a letter or digit, so none can be read as an option. A root other
 * than `/` runs the same argv under chroot.
 */
export function managerSteps(manager: PackageManager, names: readonly string[], root: string): Step[] {
  let steps: Step[];
  switch (manager) {
    case 'apt':
      steps = [
        { argv: ['apt-get', 'update'], required: false },
        {
          argv: ['apt-get', 'install', '-y', '--only-upgrade', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...names],
          required: true,
        },
      ];
      break;
    case 'dnf':
    case 'yum':
      steps = [{ argv: [manager, '-y', 'upgrade', ...names], required: true }];
      break;
    case 'zypper':
      steps = [{ argv: ['zypper', '--non-interactive', 'update', ...names], required: true }];
      break;
    case 'apk':
      steps = [
        { argv: ['apk', 'update'], required: false },
        { argv: ['apk', 'upgrade', ...names], required: true },
      ];
      break;
  }
  return root === '/' ? steps : steps.map((s) => ({ ...s, argv: ['chroot', root, ...s.argv] }));
}

