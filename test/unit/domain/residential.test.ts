import { coverageFor, parseCoverageRow, type CoverageRow } from '../../../domain/residential';

describe('parseCoverageRow', () => {
  test('reads a row, normalising case and spaces', () => {
    expect(parseCoverageRow({ zone: ' Cochabamba-Centro ', technology: 'FIBER', max_speed_mbps: '300' })).toEqual({
      row: { zone: 'cochabamba-centro', technology: 'fiber', maxSpeedMbps: 300 },
    });
  });

  test('names every column that is wrong', () => {
    expect(parseCoverageRow({ zone: 'Quillacollo Norte', technology: 'cable', max_speed_mbps: '12.5' })).toEqual({
      reasons: [
        'zone: must be lower-case words joined by hyphens, e.g. cochabamba-centro (got "Quillacollo Norte")',
        'technology: must be one of fiber, hfc, adsl, wireless (got "cable")',
        'max_speed_mbps: must be a whole number of Mbps from 1 to 10000 (got "12.5")',
      ],
    });
    expect(parseCoverageRow({})).toEqual({ reasons: [expect.stringMatching(/^zone: is required/), expect.stringMatching(/^technology:/), expect.stringMatching(/^max_speed_mbps:/)] });
    expect(parseCoverageRow({ zone: 'sacaba', technology: 'hfc', max_speed_mbps: '100000' })).toEqual({ reasons: [expect.stringMatching(/from 1 to 10000 \(got "100000"\)/)] });
  });
});

describe('coverageFor', () => {
  const rows: CoverageRow[] = [
    { zone: 'cochabamba-centro', technology: 'fiber', maxSpeedMbps: 500 },
    { zone: 'cochabamba-centro', technology: 'adsl', maxSpeedMbps: 20 },
    { zone: 'sacaba', technology: 'wireless', maxSpeedMbps: 30 },
  ];

  test('covered: the technologies that reach the speed, fastest first', () => {
    expect(coverageFor('cochabamba-centro', rows, 10)).toEqual({
      covered: true, zone: 'cochabamba-centro', speedMbps: 10, reason: null,
      options: [{ technology: 'fiber', maxSpeedMbps: 500 }, { technology: 'adsl', maxSpeedMbps: 20 }],
    });
    expect(coverageFor('cochabamba-centro', rows, 100).options).toEqual([{ technology: 'fiber', maxSpeedMbps: 500 }]);
  });

  test('not covered says why: no rows in the zone, or none fast enough (over the technology asked for)', () => {
    expect(coverageFor('tiquipaya', rows, 10)).toMatchObject({ covered: false, options: [], reason: 'no coverage in zone tiquipaya' });
    expect(coverageFor('sacaba', rows, 50)).toMatchObject({ covered: false, reason: 'zone sacaba reaches at most 30 Mbps; 50 Mbps were asked for' });
    expect(coverageFor('cochabamba-centro', rows, 50, 'adsl')).toMatchObject({ covered: false, reason: 'zone cochabamba-centro reaches at most 20 Mbps over adsl; 50 Mbps were asked for' });
    expect(coverageFor('sacaba', rows, 10, 'fiber')).toMatchObject({ covered: false, reason: 'no coverage over fiber in zone sacaba' });
  });
});
