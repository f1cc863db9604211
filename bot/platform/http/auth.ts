/**
 * The tab API's Authenticator: a bearer token → the caller, a Person of the organisation's Directory.
 *  - tenant mode: Entra ID access tokens from Teams tab SSO (signature against Entra's JWKS, v2 or v1
 *    issuer of the organisation's tenant, audience = the app's client id or application ID URI, exp/nbf,
 *    scope access_as_user);
 *  - embedded default (no tenant): tokens signed by the app's local key (LocalSigningKey), which only
 *    the development endpoint of the embedded default issues.
 * No token → undefined (401); an invalid one → AppError 401; a valid token of someone outside the
 * directory → AppError 403.
 */
import { AppError, forbidden } from '../errors';
import { langOf } from '../i18n';
import type { Logger } from '../logger';
import type { Directory } from '../org/model';
import type { Caller } from '../teams/routes';
import type { Authenticator } from './api';
import { type TokenClaims, type TokenPolicy, TokenRejected, verifyToken } from './tokens';

export const unauthenticated = (reason: string) =>
  new AppError({
    id: 'invalid_token',
    status: 401,
    messageKey: 'api.unauthorized',
    cause: new TokenRejected(reason),
  });

export class TokenAuthenticator implements Authenticator {
  constructor(
    private readonly policy: TokenPolicy,
    private readonly directory: Directory,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async authenticate(
    authorization: string | undefined,
    locale: string | undefined,
  ): Promise<Caller | undefined> {
    if (authorization === undefined || authorization.trim() === '') return undefined;
    const bearer = /^Bearer +([^\s]+)$/i.exec(authorization.trim());
    if (!bearer?.[1]) throw unauthenticated('not a bearer token');
    let claims: TokenClaims;
    try {
      claims = await verifyToken(bearer[1], this.policy, this.clock());
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      this.log.info({ reason: error.reason }, 'tab token refused');
      throw unauthenticated(error.reason);
    }
    const person = await this.directory.person(claims.oid);
    if (!person) {
      this.log.warn({ personId: claims.oid }, 'tab token of a person who is not in the directory');
      throw forbidden('api.notInDirectory');
    }
    // Accept-Language, else the user's preferred language if the token carries it (optional claim xms_pl), else the directory's
    const callerLocale =
      locale ?? (typeof claims.xms_pl === 'string' ? claims.xms_pl : undefined) ?? person.locale;
    return { personId: person.id, name: person.name, locale: callerLocale, lang: langOf(callerLocale) };
  }
}
