// A plugin's checks module: scorekeeper imports it and the @register decorators run.
import { connect } from 'node:net';
import { z } from 'zod';
import { ServiceType, register, type CheckContext, type CheckDb, type CheckRecord, type Service } from 'scorekeeper';

/** Reads the first line a TCP service sends (its banner), honouring the abort signal. */
export function readBanner(host: string, port: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, signal });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\n');
      if (end >= 0) {
        socket.destroy();
        resolve(data.slice(0, end).trim());
      }
    });
    socket.on('error', (err) => reject(err));
    socket.on('end', () => reject(new Error(`connection to ${host}:${port} closed before a banner`)));
  });
}

/**
 * Standard check: the banner of a TCP service must contain the team's word. The word is
 * Team Specific Info, read in startCheck: the last hook with the database.
 */
@register
export class BannerCheck extends ServiceType {
  readonly shortName = 'banner';
  override readonly description = 'TCP banner contains the team word (Team Specific Info "banner_word")';
  override readonly paramsSchema = z.object({ port: z.number().int().optional() }).strict();

  override startCheck(check: CheckRecord, db: CheckDb) {
    // check.data is how startCheck hands values to doCheck (copied, so check threads get it too).
    const word = db.getTeamInfo(check.service.team.number, 'banner_word');
    if (word) check.data.word = word;
    return super.startCheck(check, db); // marks the check in progress
  }

  override async doCheck(service: Service, ctx: CheckContext) {
    const port = service.port ?? 7;
    const word = typeof service.data?.word === 'string' ? service.data.word : service.team.name;
    try {
      const banner = await readBanner(service.host, port, ctx.signal);
      const ok = banner.includes(word);
      this.log(service, `banner from ${service.host}:${port}`, ok);
      this.reportScore(service, ok ? service.points : 0, ok ? null : `banner '${banner}' does not contain '${word}'`);
    } catch (err) {
      this.log(service, `banner from ${service.host}:${port}`, false);
      this.reportScore(service, 0, `no banner from ${service.host}:${port}: ${(err as Error).message}`);
    }
  }
}

/** Multi-protocol check: the same service runs on TCP or HTTP depending on the team's port. */
@register
export class AnyBannerCheck extends ServiceType {
  readonly shortName = 'any-banner';
  override readonly kind = 'multi' as const;
  override readonly description = 'banner over HTTP on port 80/8080, else over TCP';

  override resolveMulti(service: Service) {
    return service.port === 80 || service.port === 8080 ? 'http-banner' : 'banner';
  }
}

/** The HTTP flavour that any-banner resolves to. */
@register
export class HttpBannerCheck extends ServiceType {
  readonly shortName = 'http-banner';
  override readonly description = 'GET /banner contains the team name';

  override async doCheck(service: Service, ctx: CheckContext) {
    const url = `http://${service.host}:${service.port ?? 80}/banner`;
    const response = await fetch(url, { signal: ctx.signal });
    const body = await response.text();
    const ok = response.ok && body.includes(service.team.name);
    this.log(service, `GET ${url}`, ok);
    this.reportScore(service, ok ? service.points : 0, ok ? null : `HTTP ${response.status} from ${url}, team name not in body`);
  }
}

/** Mass check: all teams at once, one score each. */
@register
export class BannerSweepCheck extends ServiceType {
  readonly shortName = 'banner-sweep';
  override readonly kind = 'mass' as const;
  override readonly description = 'reads every team banner in parallel';

  override async doMassCheck(services: readonly Service[], ctx: CheckContext) {
    await Promise.all(
      services.map(async (service) => {
        try {
          await readBanner(service.host, service.port ?? 7, ctx.signal);
          this.reportScore(service, service.points);
        } catch (err) {
          this.reportScore(service, 0, `no banner: ${(err as Error).message}`);
        }
      }),
    );
  }
}
