/**
 * Seed 002's service-contract request (steps 21-23): the form the executive prints once the customer
 * accepted a plan, with the customer's data, the plan and its price, the installation address and the
 * payment mode, for the customer to sign. Dates in La Paz.
 */
import { a4Page } from './pdf-page';
import { plainMoney } from '../domain/money';

export interface ContractRequest {
  processId: string;
  businessKey: string;
  at: Date;
  customer: { fullName: string; idNumber: string; phone: string; email?: string; address: string; zone: string; customerKind: string; customerCode?: string };
  plan: { name: string; technology: string; speedMbps: number; monthlyTariffMinor: number; installationFeeMinor: number; currency: string };
  paymentMode: string | null;
  executive: string;
}

const PAYMENT_MODES: Record<string, string> = { prepaidTransfer: 'Prepago (transferencia bancaria)', prepaidWeb: 'Prepago (pago web)', postpaid: 'Postpago' };
/** A Bolivian contract writes the boliviano as Bs. */
const bob = (minor: number, currency: string) => plainMoney(minor, currency === 'BOB' ? 'Bs' : currency);

export async function renderContractRequestPdf(r: ContractRequest): Promise<Uint8Array> {
  const page = await a4Page(`Solicitud de contrato de servicio ${r.businessKey}`, r.at);
  const { line } = page;
  line('Solicitud de contrato de servicio', { size: 18, bold: true, gap: 28 });
  line(`Solicitud: ${r.businessKey}`);
  line(`Fecha: ${r.at.toLocaleDateString('es-BO', { timeZone: 'America/La_Paz', year: 'numeric', month: '2-digit', day: '2-digit' })}`);
  line(`Ejecutivo de ventas digitales: ${r.executive}`, { gap: 28 });
  line('Cliente', { bold: true });
  line(`Nombre: ${r.customer.fullName}`);
  line(`Carnet de identidad: ${r.customer.idNumber}`);
  line(`${r.customer.customerKind === 'existing' ? `Cliente existente${r.customer.customerCode ? ` (${r.customer.customerCode})` : ''}` : 'Cliente nuevo'}`);
  line(`Teléfono: ${r.customer.phone}${r.customer.email ? `   Correo: ${r.customer.email}` : ''}`);
  line(`Dirección de instalación: ${r.customer.address} (${r.customer.zone})`, { gap: 28 });
  line('Servicio', { bold: true });
  line(`Plan: ${r.plan.name} (${r.plan.technology}, ${r.plan.speedMbps} Mbps)`);
  line(`Tarifa mensual: ${bob(r.plan.monthlyTariffMinor, r.plan.currency)}   Instalación: ${bob(r.plan.installationFeeMinor, r.plan.currency)}`);
  line(`Forma de pago: ${r.paymentMode ? (PAYMENT_MODES[r.paymentMode] ?? r.paymentMode) : 'por definir'}`, { gap: 60 });
  line('______________________________              ______________________________');
  line('Firma del cliente                                           Por COMTECO R.L.');
  return page.save();
}
