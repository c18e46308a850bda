/** Business calendars: working time over weekends, public holidays and working hours (see calendar.ts). */
export * from './calendar';
export * from './duration';
export * from './holidays';
export * from './catalog';
