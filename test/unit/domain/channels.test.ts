/** The sales channels (domain/channels). */
import { isSalesChannel, SALES_CHANNELS } from '../../../domain/channels';

test('a sales channel is one of the seed\'s codes, exactly', () => {
  for (const code of SALES_CHANNELS) expect(isSalesChannel(code)).toBe(true);
  for (const bad of ['Landing', 'fax', '', null, undefined, 3]) expect(isSalesChannel(bad)).toBe(false);
});
