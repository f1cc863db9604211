/**
 * The AppInstaller through Microsoft Graph (tenant mode with VARN_TEAMS_APP_CATALOG_ID): installs the app in a
 * person's personal scope so that the sender can open a 1:1 conversation with them.
 *   POST /users/{id}/teamwork/installedApps  {"teamsApp@odata.bind": "<graph>/v1.0/appCatalogs/teamsApps/{id}"}
 * (learn.microsoft.com/graph/api/userteamwork-post-installedapps; application permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All).
 *   201 → installed now; 409 Conflict → it already was (success, nothing to do);
 *   403 → not installed: the tenant's policy or a missing permission refuses it (the sender records notInstalled
 *         with this detail and does not retry);
 *   404 → not installed: the user (or the app in the catalog) is not found.
 * 429, 503 and 504 are retried by the Graph client's one retry policy; what still fails after it (or never got an
 * answer) is thrown, so the sender treats it like any other transient failure and tries the delivery again later.
 */
import { type Graph, GraphRequestError } from '../graph';
import type { AppInstaller } from '../messaging';

export class GraphAppInstaller implements AppInstaller {
  constructor(
    private readonly graph: Graph,
    /** The app's id in the organisation's app catalog (the teamsApp id, not the manifest id). */
    private readonly catalogAppId: string,
    /** Graph's origin for the @odata.bind URL, e.g. https://graph.microsoft.com. */
    private readonly graphBaseUrl = 'https://graph.microsoft.com',
  ) {}

  async ensureInstalled(
    personId: string,
  ): Promise<{ installed: true; now: boolean } | { installed: false; detail: string }> {
    try {
      await this.graph.operation('teams.installApp', () =>
        this.graph.post(`/users/${encodeURIComponent(personId)}/teamwork/installedApps`, {
          'teamsApp@odata.bind': `${this.graphBaseUrl}/v1.0/appCatalogs/teamsApps/${encodeURIComponent(this.catalogAppId)}`,
        }),
      );
      return { installed: true, now: true };
    } catch (error) {
      if (!(error instanceof GraphRequestError)) throw error;
      if (error.status === 409) return { installed: true, now: false };
      if (error.status === 403)
        return {
          installed: false,
          detail: `Graph refused to install the app for them (403 ${error.code}: the app permission policy blocks it, or the app lacks TeamsAppInstallation.ReadWriteSelfForUser.All)`,
        };
      if (error.status === 404)
        return {
          installed: false,
          detail: `Graph found no such user or app to install (404 ${error.code})`,
        };
      throw error;
    }
  }
}
