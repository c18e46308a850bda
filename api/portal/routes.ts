import { clientAddress } from '../auth/login-limits';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import { TaskLinkTokenParams } from '../task-links/schemas';
import { PortalActivated, PortalPasswordBody } from './schemas';
import type { PortalService } from './service';

export function portalRoutes(portal: PortalService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/public/portal-setup/:token',
      summary: "A new customer sets their portal password through the welcome e-mail's link (public; the token is the credential, once)",
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      body: PortalPasswordBody,
      responses: {
        200: { description: 'The portal credentials are active', schema: PortalActivated },
        400: errorReply('A password shorter than 10 characters'),
        404: errorReply('No link, or one already used or expired'),
        429: errorReply('Too many attempts from this address'),
      },
      handler: ({ params, body, req }) => portal.setPassword(params.token, body.password, clientAddress(req)),
    }),
  ];
}
