/**
 * subProcess: the child definition's latest version is resolved by an activity and runs as a child
 * workflow with its own instance row; the parent routes on the child's outcome.
 */
import path from 'node:path';
import { deployFolder, getDefinitionVersion } from '../../lib/definitions/store';
import { startProcess } from '../support/processes';
import { recordHistory } from '../support/histories';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('subprocess');
const FIXTURES = path.join(__dirname, '../fixtures/processes');

it('runs the child definition as a child workflow and continues on its outcome', async () => {
  await deployFolder(stack.database.db, FIXTURES, 'test');
  const parent = (await getDefinitionVersion(stack.database.db, 'parent-with-child'))!;
  const handle = await startProcess(stack.env.client, stack.taskQueue, parent, 'ACME-1', { email: 'hola@acme.cl' });

  const result = await handle.result();

  expect(result.outcome).toBe('onboarded');
  expect(result.variables.welcome).toMatchObject({ status: 'completed', outcome: 'welcomed' });
  const child = await stack.database.db('process_instances').where({ definition_id: 'welcome-child' }).first();
  // The child's workflow id comes from its definition and business key (the parent's key and the step).
  expect(child).toMatchObject({ workflow_id: 'welcome-child/ACME-1%2Fwelcome', business_key: 'ACME-1/welcome', status: 'completed', outcome: 'welcomed' });
  const mails = await stack.database.db('outbox').where({ instance_id: child.id, template: 'welcome' });
  expect(mails).toHaveLength(1);
  expect(mails[0].recipient).toBe('hola@acme.cl');
  expect(mails[0].payload).toEqual({ business: 'ACME-1/welcome' }); // $instance is bound in expressions
  await recordHistory(handle, 'parent-with-child');
});
