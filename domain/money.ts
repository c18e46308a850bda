/**
 * Money is kept in integer minor units (cents, centavos) everywhere; these are the one way an amount
 * becomes text. Every currency Cauce bills in (BOB, COP, USD) has two minor digits.
 */

/** `27900` → `279.00`: the plain decimal that reports, exports and e-mail payloads carry. */
export const decimalAmount = (minor: number): string => (minor / 100).toFixed(2);

/** `BOB 279.00`: an amount in a message or a CLI line, where it must read the same in any locale. */
export const plainMoney = (minor: number, currency: string): string => `${currency} ${decimalAmount(minor)}`;

/** `COP 59.381,00`: an amount shown to a person, grouped the way the document's locale writes it. */
export const localMoney = (minor: number, currency: string, locale: string): string =>
  `${currency} ${(minor / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `279.5` or `'279.50'` (an amount as the invoices table keeps it) → `27950`, in minor units. */
export const minorUnits = (decimal: number | string): number => Math.round(Number(decimal) * 100);
