import { loggableUrl } from '../../../api/logger';

const TOKEN = 'aB3-_'.repeat(8) + 'xyz';

test("a public route's credential segment never reaches the request log, whichever resource it opens", () => {
  expect(loggableUrl(`/api/public/task-links/${TOKEN}`)).toBe('/api/public/task-links/[redacted]');
  expect(loggableUrl(`/api/public/task-links/${TOKEN}/complete?x=1`)).toBe('/api/public/task-links/[redacted]/complete?x=1');
  expect(loggableUrl(`/api/public/estimates/${TOKEN}/accept`)).toBe('/api/public/estimates/[redacted]/accept');
  expect(loggableUrl(`/api/public/portal-setup/${TOKEN}`)).toBe('/api/public/portal-setup/[redacted]');
  expect(loggableUrl(`/api/public/estimates/${TOKEN}/pdf`)).toBe('/api/public/estimates/[redacted]/pdf');
  // A malformed token is still the caller's secret.
  expect(loggableUrl('/API/Public/Estimates/short-guess')).toBe('/API/Public/Estimates/[redacted]');
});

test('other addresses are logged as sent', () => {
  for (const url of ['/api/public/prospects', '/api/public/prospects?src=web', '/api/processes/3f1c?view=technical', '/api/estimates/0c6e/pdf']) expect(loggableUrl(url)).toBe(url);
});
