/** Deploy's checks of a participant task (userTask `participant`): the link e-mail's template, language and expiry. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDefinitionSource } from '../../../lib/definitions';
import { roleIds } from '../../../lib/definitions/roles';
import { templateCatalog } from '../../../lib/mail/templates';

const FIXTURE = path.join(__dirname, '../../fixtures/processes/client-approval.yaml');
const source = readFileSync(FIXTURE, 'utf8');
const catalog = { activities: ['notifications.send'], roles: roleIds(), templates: templateCatalog() };
const messages = (src: string) => (validateDefinitionSource(src, 'client-approval.yaml', catalog).errors ?? []).map((e) => `${e.line}: ${e.message}`);

test('the fixture deploys: task-link exists in es and en and prints only what the engine gives it', () => {
  expect(messages(source)).toEqual([]);
  expect(messages(source.replace('name: =client.name\n', 'name: =client.name\n      language: en\n'))).toEqual([]);
});

test('a language the task-link template lacks is refused at its line', () => {
  expect(messages(source.replace('name: =client.name\n', 'name: =client.name\n      language: fr\n'))).toEqual([expect.stringMatching(/^2\d: .*'task-link' has no 'fr' version/)]);
});

test('a bad expiry or a missing e-mail is refused', () => {
  expect(messages(source.replace(`expiresIn: "=$exists(expiresIn) ? expiresIn : '7d'"`, 'expiresIn: soon'))).toEqual([expect.stringMatching(/^29: invalid duration "soon"/)]);
  expect(messages(source.replace('      email: =client.email\n', ''))).toEqual([expect.stringMatching(/email/)]);
});
