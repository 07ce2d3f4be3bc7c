import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, session } from './api.js';
import { BeneficiariesPage } from './pages/allowance/beneficiaries.js';
import { BeneficiaryPage } from './pages/allowance/beneficiary.js';
import { OverpaymentsPage } from './pages/allowance/overpayments.js';
import { RollPage } from './pages/allowance/roll.js';
import { RollsPage } from './pages/allowance/rolls.js';
import { AllowanceStatsPage } from './pages/allowance/stats.js';
import { ApplicationsPage } from './pages/applications.js';
import { BatchesPage, BatchPage } from './pages/batches.js';
import { ChildPage, ChildrenPage, RegisterChildPage } from './pages/children.js';
import { ClaimFormPage } from './pages/claimForm.js';
import { BulkClaimsPage } from './pages/bulkClaims.js';
import { ClaimPage, ClaimsPage } from './pages/claims.js';
import { DashboardPage } from './pages/dashboard.js';
import { InstitutionsPage } from './pages/admin/institutions.js';
import { BackupsPage } from './pages/admin/backups.js';
import { CalendarPage } from './pages/admin/calendar.js';
import { PoliciesPage, PolicyPage } from './pages/admin/policies.js';
import { RegionSettingsPage } from './pages/admin/regionSettings.js';
import { StandardsPage } from './pages/admin/standards.js';
import { UsersPage } from './pages/admin/users.js';
import { AccessLogPage } from './pages/auditor/accessLog.js';
import { AuditTrailPage } from './pages/auditor/auditTrail.js';
import { AccountPage, ChangePasswordForm, SecondFactorPanel } from './pages/account.js';
import { ActivatePage } from './pages/activate.js';
import { SetupPage } from './pages/setup.js';
import type { Me, SessionAnswer } from './accountTypes.js';
import { SESSION_END_MESSAGES } from './authWords.js';
import { IdleWatch } from './idle.js';
import { formatTimestamp } from './format.js';
import { ReconciliationPage, ReconciliationReportPage } from './pages/reconciliation.js';
import { ReviewQueuePage } from './pages/review.js';
import { ProtectionCasePage } from './pages/protection/case.js';
import { ProtectionCasesPage } from './pages/protection/cases.js';
import { ProtectionChildFilePage } from './pages/protection/file.js';
import { ProtectionIntakePage } from './pages/protection/intake.js';
import { ProtectionNoticesPage } from './pages/protection/notices.js';
import { ProtectionQuarterlyPage } from './pages/protection/quarterly.js';
import { BasicLivingPaymentsPage } from './pages/protection/payments.js';
import { ProtectionReportsPage } from './pages/protection/reports.js';
import { BasicLivingOverpaymentsPage, BasicLivingRollPage, BasicLivingRollsPage } from './pages/protection/rolls.js';
import { ProtectionVisitFormPage, ProtectionVisitsPage } from './pages/protection/visits.js';
import { OverdueReportsBanner } from './parts/reportsBanner.js';
import { SignInPage } from './pages/signIn.js';
import { href, matchPath, navigate, useLocation } from './router.js';
import type { Institution, PageProps, User } from './types.js';
import { forgetCaches, RegionName } from './parts/names.js';
import { ROLE_NAMES } from './words.js';
import './styles.css';

type Role = User['role'];

interface Route {
  pattern: string;
  roles: Role[];
  page: ComponentType<PageProps>;
}

// Which page answers which path, and for whom. The service refuses what a role may not do
// whatever the console shows; this table only keeps people out of pages that would fail.
const ROUTES: Route[] = [
  { pattern: '/review', roles: ['reviewer'], page: ReviewQueuePage },
  { pattern: '/claims/new', roles: ['institution'], page: ClaimFormPage },
  { pattern: '/claims/upload', roles: ['institution'], page: BulkClaimsPage },
  { pattern: '/claims/:id/edit', roles: ['institution'], page: ClaimFormPage },
  { pattern: '/claims/:id', roles: ['institution', 'reviewer'], page: ClaimPage },
  { pattern: '/claims', roles: ['institution', 'reviewer'], page: ClaimsPage },
  { pattern: '/children/new', roles: ['reviewer', 'institution'], page: RegisterChildPage },
  { pattern: '/children/:id', roles: ['reviewer', 'institution'], page: ChildPage },
  { pattern: '/children', roles: ['reviewer', 'institution'], page: ChildrenPage },
  { pattern: '/applications', roles: ['reviewer', 'institution'], page: ApplicationsPage },
  { pattern: '/batches/:id', roles: ['reviewer', 'finance', 'institution'], page: BatchPage },
  { pattern: '/batches', roles: ['reviewer', 'finance', 'institution'], page: BatchesPage },
  { pattern: '/paid', roles: ['finance'], page: BatchesPage },
  { pattern: '/dashboard', roles: ['reviewer'], page: DashboardPage },
  { pattern: '/reconciliation/:id', roles: ['institution', 'reviewer'], page: ReconciliationReportPage },
  { pattern: '/reconciliation', roles: ['institution', 'reviewer'], page: ReconciliationPage },
  { pattern: '/institutions', roles: ['admin'], page: InstitutionsPage },
  { pattern: '/audit', roles: ['auditor'], page: AuditTrailPage },
  { pattern: '/access-log', roles: ['auditor'], page: AccessLogPage },
  { pattern: '/users', roles: ['admin'], page: UsersPage },
  { pattern: '/regions', roles: ['admin'], page: RegionSettingsPage },
  { pattern: '/calendar', roles: ['admin'], page: CalendarPage },
  { pattern: '/standards', roles: ['admin'], page: StandardsPage },
  { pattern: '/backups', roles: ['admin'], page: BackupsPage },
  { pattern: '/policies/:id', roles: ['admin', 'reviewer'], page: PolicyPage },
  { pattern: '/policies', roles: ['admin', 'reviewer'], page: PoliciesPage },
  { pattern: '/allowance/beneficiaries/:id', roles: ['reviewer', 'civil_affairs', 'finance'], page: BeneficiaryPage },
  { pattern: '/allowance/beneficiaries', roles: ['reviewer', 'civil_affairs', 'finance'], page: BeneficiariesPage },
  { pattern: '/allowance/rolls/:id', roles: ['reviewer', 'civil_affairs', 'finance'], page: RollPage },
  { pattern: '/allowance/rolls', roles: ['reviewer', 'civil_affairs', 'finance'], page: RollsPage },
  { pattern: '/allowance/overpayments', roles: ['civil_affairs', 'finance'], page: OverpaymentsPage },
  { pattern: '/allowance/stats', roles: ['civil_affairs', 'finance'], page: AllowanceStatsPage },
  { pattern: '/protection/intake', roles: ['township', 'civil_affairs'], page: ProtectionIntakePage },
  { pattern: '/protection/cases/:id', roles: ['township', 'civil_affairs', 'reviewer', 'department'], page: ProtectionCasePage },
  { pattern: '/protection/cases', roles: ['township', 'civil_affairs', 'reviewer', 'department'], page: ProtectionCasesPage },
  { pattern: '/protection/notices', roles: ['township', 'civil_affairs'], page: ProtectionNoticesPage },
  { pattern: '/protection/quarterly', roles: ['township', 'civil_affairs'], page: ProtectionQuarterlyPage },
  { pattern: '/protection/children/:id', roles: ['township', 'civil_affairs'], page: ProtectionChildFilePage },
  { pattern: '/protection/visits/new', roles: ['township'], page: ProtectionVisitFormPage },
  { pattern: '/protection/visits', roles: ['township', 'civil_affairs'], page: ProtectionVisitsPage },
  { pattern: '/protection/reports', roles: ['township', 'civil_affairs'], page: ProtectionReportsPage },
  { pattern: '/protection/rolls/:id', roles: ['civil_affairs', 'finance'], page: BasicLivingRollPage },
  { pattern: '/protection/rolls', roles: ['civil_affairs', 'finance'], page: BasicLivingRollsPage },
  { pattern: '/protection/overpayments', roles: ['civil_affairs', 'finance'], page: BasicLivingOverpaymentsPage },
  { pattern: '/protection/payments', roles: ['civil_affairs', 'finance'], page: BasicLivingPaymentsPage },
];

const NAVIGATION: Record<Role, [string, string][]> = {
  institution: [
    ['/children', '服务儿童'],
    ['/claims/new', '新建申报'],
    ['/claims/upload', '批量导入'],
    ['/claims', '申报记录'],
    ['/batches', '结算批次'],
    ['/reconciliation', '对账'],
  ],
  reviewer: [
    ['/review', '待审核'],
    ['/claims', '全部申报'],
    ['/children', '儿童'],
    ['/applications', '救助申请'],
    ['/batches', '结算批次'],
    ['/reconciliation', '对账'],
    ['/dashboard', '统计'],
    ['/allowance/beneficiaries', '关爱补贴对象'],
    ['/protection/cases?pending=true', '困境儿童复核'],
  ],
  finance: [
    ['/batches', '待支付批次'],
    ['/paid', '已支付'],
    ['/allowance/rolls', '关爱补贴名册'],
    ['/allowance/stats', '关爱补贴统计'],
    ['/protection/rolls', '基本生活费名册'],
    ['/protection/payments', '基本生活费统计'],
  ],
  civil_affairs: [
    ['/allowance/beneficiaries', '关爱补贴对象'],
    ['/allowance/rolls', '发放名册'],
    ['/allowance/overpayments', '应退款'],
    ['/allowance/stats', '统计'],
    ['/protection/cases?status=county_review', '困境儿童县级复核'],
    ['/protection/cases', '困境儿童个案'],
    ['/protection/notices', '村级公示'],
    ['/protection/quarterly', '季度更新'],
    ['/protection/visits', '走访'],
    ['/protection/reports', '强制报告'],
    ['/protection/rolls', '基本生活费名册'],
    ['/protection/overpayments', '基本生活费应退款'],
    ['/protection/payments', '基本生活费统计'],
  ],
  township: [
    ['/protection/cases?status=received', '待核查'],
    ['/protection/intake', '受理申请'],
    ['/protection/cases', '全部个案'],
    ['/protection/notices', '村级公示'],
    ['/protection/quarterly', '季度更新'],
    ['/protection/visits', '走访'],
    ['/protection/reports', '强制报告'],
  ],
  department: [['/protection/cases?pending=true', '待复核个案']],
  auditor: [
    ['/audit', '审计日志'],
    ['/access-log', '访问日志'],
  ],
  admin: [
    ['/institutions', '定点机构'],
    ['/users', '用户'],
    ['/policies', '救助标准'],
    ['/regions', '地区设置'],
    ['/calendar', '工作日历'],
    ['/standards', '关爱补贴标准'],
    ['/backups', '备份'],
  ],
};

function homeOf(role: Role): string {
  return NAVIGATION[role][0]![0];
}

function Shell(props: { user: Me; institution: Institution | null; onSignOut(): void; onChanged(me?: Me): void; notice: SessionAnswer['resetNotice'] }) {
  const { user } = props;
  const location = useLocation();
  useEffect(() => {
    if (location.path === '/') navigate(homeOf(user.role));
  }, [location.path, user.role]);

  let content;
  const route = ROUTES.map((candidate) => ({ candidate, params: matchPath(candidate.pattern, location.path) })).find((found) => found.params);
  if (location.path === '/') content = null;
  else if (location.path === '/account') content = <AccountPage me={user} onChanged={props.onChanged} />;
  else if (!route) content = <NotFound />;
  else if (!route.candidate.roles.includes(user.role)) content = <NoAccess />;
  else {
    const Page = route.candidate.page;
    content = <Page user={user} institution={props.institution} path={location.path} params={route.params!} query={location.query} />;
  }

  // The menu entry of the page shown: the longest entry the path starts with whose query (a
  // queue's filter, `?status=received`) the page's query holds too.
  const matches = (entry: string) => {
    const [path = '', search = ''] = entry.split('?');
    const inPath = location.path === path || location.path.startsWith(`${path}/`);
    return inPath && [...new URLSearchParams(search)].every(([key, value]) => location.query.get(key) === value);
  };
  const active = NAVIGATION[user.role]
    .map(([path]) => path)
    .filter(matches)
    .sort((a, b) => b.length - a.length)[0];
  const where = user.role === 'institution' ? (props.institution?.name ?? '') : user.regionCode ? <RegionName code={user.regionCode} withCode /> : '全部地区';
  return (
    <div class="shell">
      <header class="top">
        <div class="brand">残疾儿童康复救助结算</div>
        <div class="who" data-testid="who">
          <span class="user-name">{user.name}</span>
          <span class="role">{ROLE_NAMES[user.role]}</span>
          <span class="where">{where}</span>
          <a href={href('/account')}>我的账号</a>
          <button type="button" class="link" onClick={props.onSignOut}>
            退出登录
          </button>
        </div>
      </header>
      <nav class="side" aria-label="功能">
        {NAVIGATION[user.role].map(([path, name]) => (
          <a key={path} href={href(path)} class={path === active ? 'active' : undefined}>
            {name}
          </a>
        ))}
      </nav>
      <main class="content">
        {props.notice ? (
          <p class="hint" role="note" data-testid="reset-notice">
            您的账号已于 {formatTimestamp(props.notice.at)} 由管理员 {props.notice.by.name}
            {props.notice.confirmedBy ? `（经 ${props.notice.confirmedBy.name} 确认）` : ''}重置。如果不是您本人要求的，请立即告知单位负责人。
          </p>
        ) : null}
        {user.role === 'civil_affairs' ? <OverdueReportsBanner path={location.path} /> : null}
        {content}
      </main>
    </div>
  );
}

function NoAccess() {
  return (
    <section>
      <h1>无权访问</h1>
      <p class="error" role="alert">
        您的账号无权访问此页面。请从左侧菜单选择您可以使用的功能。
      </p>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1>页面不存在</h1>
      <p>请从左侧菜单选择功能。</p>
    </section>
  );
}

/** A signed-in person who must first change the password or set up the second factor (a restricted session). */
function Restricted(props: { user: Me; onChanged(me?: Me): void; onSignOut(): void }) {
  const { user } = props;
  return (
    <main class="sign-in">
      <section>
        <h1>{user.mustChangePassword ? '请先修改密码' : '请先开启动态验证码'}</h1>
        {user.mustChangePassword ? (
          <ChangePasswordForm me={user} onChanged={props.onChanged} intro={user.passwordExpiresOn ? '您的密码已到期，修改后才能继续使用系统。' : '请先设置您自己的密码。'} />
        ) : (
          <>
            <p>本单位要求每位用户在登录时使用手机验证器生成的动态验证码。开启后即可使用系统。</p>
            <SecondFactorPanel me={user} onChanged={() => props.onChanged()} />
          </>
        )}
        <button type="button" class="link" onClick={props.onSignOut}>
          退出登录
        </button>
      </section>
    </main>
  );
}

function App() {
  const [user, setUser] = useState<Me | null>(null);
  const [institution, setInstitution] = useState<Institution | null>(null);
  const [resetNotice, setResetNotice] = useState<SessionAnswer['resetNotice']>(null);
  // A new page first asks the service for its session (the cookie is shared by the tabs).
  const [starting, setStarting] = useState(true);
  const [endNotice, setEndNotice] = useState<string | null>(null);
  const location = useLocation();

  const forget = (reason: string | null) => {
    forgetCaches();
    setUser(null);
    setInstitution(null);
    setResetNotice(null);
    setEndNotice(reason ? (SESSION_END_MESSAGES[reason] ?? SESSION_END_MESSAGES.SESSION_ENDED!) : null);
  };

  const signOut = async (reason: string | null = null) => {
    await api.post('/auth/sign-out').catch(() => undefined);
    session.signOut();
    forget(reason);
  };

  const enter = async (answer: SessionAnswer) => {
    session.signIn(answer.csrfToken);
    setEndNotice(null);
    const me = answer.user;
    const own = me.institutionId && !me.mustChangePassword && !me.mustSetUpSecondFactor ? await api.get<Institution>(`/institutions/${me.institutionId}`).catch(() => null) : null;
    forgetCaches();
    setInstitution(own);
    setUser(me);
    if (answer.resetNotice !== undefined) setResetNotice(answer.resetNotice);
    // The page in the address stays when this user may use it (a link someone opened); otherwise
    // (another user's page after signing out and in) the user lands on their own home page.
    const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
    const route = ROUTES.find((candidate) => matchPath(candidate.pattern, path));
    if (path !== '/account' && (path === '/' || !route || !route.roles.includes(me.role))) navigate(homeOf(me.role));
  };

  /** The account changed (password, second factor): read the session again. */
  const refresh = async (me?: Me) => {
    if (me && user) {
      setUser({ ...user, ...me });
      return;
    }
    await api.get<SessionAnswer>('/auth/session').then(enter, () => undefined);
  };

  useEffect(() => {
    session.onSignedOut((reason) => forget(reason));
    void api
      .get<SessionAnswer>('/auth/session')
      .then(enter, () => undefined)
      .finally(() => setStarting(false));
  }, []);

  if (starting) return <p class="muted center">正在登录…</p>;
  if (!user) {
    if (location.path === '/activate') return <ActivatePage onDone={() => navigate('/')} />;
    if (location.path === '/setup') return <SetupPage />;
    const notice = endNotice ? (
      <p class="error" role="alert" data-testid="session-ended">
        {endNotice}
      </p>
    ) : null;
    return <SignInPage onSignIn={(answer) => void enter(answer)} notice={notice} />;
  }
  const idle = user.session ? <IdleWatch idleTimeoutSeconds={user.session.idleTimeoutSeconds} onIdle={() => void signOut('IDLE_HERE')} /> : null;
  if (user.mustChangePassword || user.mustSetUpSecondFactor) {
    return (
      <>
        {idle}
        <Restricted user={user} onChanged={(me) => void refresh(me)} onSignOut={() => void signOut()} />
      </>
    );
  }
  return (
    <>
      {idle}
      <Shell user={user} institution={institution} onSignOut={() => void signOut()} onChanged={(me) => void refresh(me)} notice={resetNotice} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
