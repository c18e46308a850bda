import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { DefinitionListPage } from './pages/DefinitionListPage';
import { DefinitionPage } from './pages/DefinitionPage';
import { InboxPage } from './pages/InboxPage';
import { IncidentsPage } from './pages/IncidentsPage';
import { BillingKpiPage } from './pages/BillingKpiPage';
import { PortalPasswordPage } from './pages/PortalPasswordPage';
import { LeadReceivedPage } from './pages/LeadReceivedPage';
import { PortalInvoicesPage } from './pages/PortalInvoicesPage';
import { PaymentReceivedPage } from './pages/PaymentReceivedPage';
import { PortalContractPage } from './pages/PortalContractPage';
import { PortalEstimatePage } from './pages/PortalEstimatePage';
import { ResidentialReportsPage } from './pages/ResidentialReportsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProcessListPage } from './pages/ProcessListPage';
import { ProcessPage } from './pages/ProcessPage';
import { BoardPage } from './pages/BoardPage';
import { SentMailPage } from './pages/SentMailPage';
import { SignInPage } from './pages/SignInPage';
import { StartProcessPage } from './pages/StartProcessPage';
import { TaskLinkPage } from './pages/TaskLinkPage';
import { TaskPage } from './pages/TaskPage';
import { TicketsPage } from './pages/TicketsPage';
import { ConsultantsPage } from './pages/ConsultantsPage';
import { ConsultantPage } from './pages/ConsultantPage';
import { RequireSession, SessionProvider } from './session/SessionProvider';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/signin" element={<SignInPage />} />
          {/* Outside participants: no session, the token in the fragment (pages/TaskLinkPage.tsx). */}
          <Route path="/link" element={<TaskLinkPage />} />
          <Route path="/portal/estimate" element={<PortalEstimatePage />} />
          <Route path="/portal/password" element={<PortalPasswordPage />} />
          <Route path="/portal/lead-received" element={<LeadReceivedPage />} />
          <Route path="/portal" element={<PortalInvoicesPage />} />
          <Route path="/portal/payment-received" element={<PaymentReceivedPage />} />
          <Route path="/portal/contract" element={<PortalContractPage />} />
          <Route
            element={
              <RequireSession>
                <Layout />
              </RequireSession>
            }
          >
            <Route index element={<Navigate to="/inbox" replace />} />
            <Route path="inbox" element={<InboxPage />} />
            <Route path="tasks/:id" element={<TaskPage />} />
            <Route path="processes" element={<ProcessListPage />} />
            <Route path="processes/:id" element={<ProcessPage />} />
            <Route path="board" element={<BoardPage />} />
            <Route path="tickets" element={<TicketsPage />} />
            <Route path="consultants" element={<ConsultantsPage />} />
            <Route path="consultants/:id" element={<ConsultantPage />} />
            <Route path="incidents" element={<IncidentsPage />} />
            <Route path="reports/billing-kpi" element={<BillingKpiPage />} />
            <Route path="reports/digital-sales" element={<ResidentialReportsPage />} />
            <Route path="mail" element={<SentMailPage />} />
            <Route path="mail/:id" element={<SentMailPage />} />
            <Route path="definitions" element={<DefinitionListPage />} />
            <Route path="definitions/:id" element={<DefinitionPage />} />
            <Route path="definitions/:id/versions/:version" element={<DefinitionPage />} />
            <Route path="definitions/:id/start" element={<StartProcessPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
