/** Custom search attributes operators filter instances by in the Temporal Web UI (registered by `npm start`). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  definitionId: defineSearchAttributeKey('CauceDefinitionId', SearchAttributeType.KEYWORD),
  businessKey: defineSearchAttributeKey('CauceBusinessKey', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('CauceStage', SearchAttributeType.KEYWORD),
  openTaskRoles: defineSearchAttributeKey('CauceOpenTaskRoles', SearchAttributeType.KEYWORD_LIST),
  status: defineSearchAttributeKey('CauceStatus', SearchAttributeType.KEYWORD),
} as const;
