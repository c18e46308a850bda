/** Where a task's outcomes take a card on the board: read from the definition, through activity steps. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { outcomeStages, type BoardStep } from '../../../domain/board';
import { stepsById } from '../../../workflows/definition';

test("the lead's tasks: qualified and lost from qualification, lost from the follow-up, customer from the conversion (past its activity)", () => {
  const definition = YAML.parse(readFileSync(path.join(__dirname, '../../../definitions/lead-to-customer.yaml'), 'utf8'));
  const stages = outcomeStages(stepsById(definition.steps));
  expect(stages.qualify).toEqual({ qualified: 'qualified', notAFit: 'lost' });
  expect(stages.followUp).toEqual({ lost: 'lost' });
  expect(stages.convertToCustomer).toEqual({ converted: 'customer', contractFirst: 'contract-sent' });
});

test('a path that branches, waits or loops before any stage leads to no column', () => {
  const steps: Record<string, BoardStep> = {
    ask: { type: 'userTask', outcomes: { a: { next: 'loop' }, b: { next: 'wait' } } },
    loop: { type: 'activity', next: 'loop' },
    wait: { type: 'wait' },
  };
  expect(outcomeStages(steps)).toEqual({});
});
