import { FEATURE_ROLES } from '../../workflows/policy';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import { RegistrationAnswer, RegistrationBody } from './schemas';
import type { ConsultantService } from './service';

export function consultantRoutes(consultants: ConsultantService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/consultants/registrations',
      summary: "Register a person as a consultant or a customer (seed 003): the person's enrollment starts, and the answer says where it got to",
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.registerConsultants },
      body: RegistrationBody,
      responses: {
        201: { description: 'Registered: the case it was, and the enrollment working it (waiting for approval or the start kit, or ended)', schema: RegistrationAnswer },
        403: errorReply('The person is on the blacklist (`blacklisted`): the message says so, with the reason'),
        404: errorReply('An accepted agreement does not exist'),
        409: errorReply('A registration of this person is already being processed (`registration_in_progress`), or an accepted agreement is no longer in force (`agreement_inactive`, naming the version in force)'),
        422: errorReply("The variables do not match the enrollment's schema (`invalid_variables`), naming each field; or an accepted agreement is not for this person (`agreement_not_applicable`)"),
      },
      handler: ({ user, body }) => consultants.register(user, body),
    }),
  ];
}
