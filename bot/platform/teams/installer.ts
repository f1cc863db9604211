/**
 * The AppInstaller for an organisation where the app reaches everyone without a per-person install:
 * the Teams admin's app setup policy installs it for the whole tenant, and on the embedded default
 * the sample organisation's people count as installed. Someone the directory does not know is not
 * installed. (The Graph installer, `POST /users/{id}/teamwork/installedApps`, plugs in here later.)
 * If Teams still refuses the new conversation (403), the sender records `notInstalled`.
 */
import type { AppInstaller } from '../messaging';
import type { Directory } from '../org/model';

export class InstalledByPolicy implements AppInstaller {
  constructor(private readonly directory: Pick<Directory, 'person'>) {}

  async ensureInstalled(
    personId: string,
  ): Promise<{ installed: true; now: boolean } | { installed: false; detail: string }> {
    if (await this.directory.person(personId)) return { installed: true, now: false };
    return {
      installed: false,
      detail: 'not in the organisation directory, so the app is not installed for them',
    };
  }
}
