import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, session } from './api.js';
import { AllowanceStatsPage, BeneficiariesPage, BeneficiaryPage, OverpaymentsPage, RollPage, RollsPage } from './pages/allowance.js';
import { ApplicationsPage } from './pages/applications.js';
import { BatchesPage, BatchPage } from './pages/batches.js';
import { AccessLogPage, AuditTrailPage } from './pages/audit.js';
import { ChildPage, ChildrenPage, RegisterChildPage } from './pages/children.js';
import { ClaimFormPage } from './pages/claimForm.js';
import { BulkClaimsPage } from './pages/bulkClaims.js';
import { ClaimPage, ClaimsPage } from './pages/claims.js';
import { DashboardPage } from './pages/dashboard.js';
import { InstitutionsPage, PoliciesPage, PolicyPage, UsersPage } from './pages/admin.js';
import { ReconciliationPage, ReconciliationReportPage } from './pages/reconciliation.js';
import { ReviewQueuePage } from './pages/review.js';
import { SignInPage } from './pages/signIn.js';
import { href, matchPath, navigate, useLocation } from './router.js';
import type { Institution, PageProps, User } from './types.js';
import { ErrorNotice, forgetCaches, RegionName } from './ui.js';
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
  { pattern: '/policies/:id', roles: ['admin', 'reviewer'], page: PolicyPage },
  { pattern: '/policies', roles: ['admin', 'reviewer'], page: PoliciesPage },
  { pattern: '/allowance/beneficiaries/:id', roles: ['reviewer', 'civil_affairs', 'finance'], page: BeneficiaryPage },
  { pattern: '/allowance/beneficiaries', roles: ['reviewer', 'civil_affairs', 'finance'], page: BeneficiariesPage },
  { pattern: '/allowance/rolls/:id', roles: ['reviewer', 'civil_affairs', 'finance'], page: RollPage },
  { pattern: '/allowance/rolls', roles: ['reviewer', 'civil_affairs', 'finance'], page: RollsPage },
  { pattern: '/allowance/overpayments', roles: ['civil_affairs', 'finance'], page: OverpaymentsPage },
  { pattern: '/allowance/stats', roles: ['civil_affairs', 'finance'], page: AllowanceStatsPage },
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
  ],
  finance: [
    ['/batches', '待支付批次'],
    ['/paid', '已支付'],
    ['/allowance/rolls', '关爱补贴名册'],
    ['/allowance/stats', '关爱补贴统计'],
  ],
  civil_affairs: [
    ['/allowance/beneficiaries', '关爱补贴对象'],
    ['/allowance/rolls', '发放名册'],
    ['/allowance/overpayments', '应退款'],
    ['/allowance/stats', '统计'],
  ],
  auditor: [
    ['/audit', '审计日志'],
    ['/access-log', '访问日志'],
  ],
  admin: [
    ['/institutions', '定点机构'],
    ['/users', '用户'],
    ['/policies', '救助标准'],
  ],
};

function homeOf(role: Role): string {
  return NAVIGATION[role][0]![0];
}

function Shell(props: { user: User; institution: Institution | null; onSignOut(): void }) {
  const { user } = props;
  const location = useLocation();
  useEffect(() => {
    if (location.path === '/') navigate(homeOf(user.role));
  }, [location.path, user.role]);

  let content;
  const route = ROUTES.map((candidate) => ({ candidate, params: matchPath(candidate.pattern, location.path) })).find((found) => found.params);
  if (location.path === '/') content = null;
  else if (!route) content = <NotFound />;
  else if (!route.candidate.roles.includes(user.role)) content = <NoAccess />;
  else {
    const Page = route.candidate.page;
    content = <Page user={user} institution={props.institution} path={location.path} params={route.params!} query={location.query} />;
  }

  // The menu entry of the page shown: the longest entry the path starts with.
  const active = NAVIGATION[user.role]
    .map(([path]) => path)
    .filter((path) => location.path === path || location.path.startsWith(`${path}/`))
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
        {user.bootstrap ? (
          <p class="hint" role="note" data-testid="bootstrap-notice">
            您正在使用初始化令牌（BOOTSTRAP_ADMIN_TOKEN）登录。请先为自己<a href={href('/users')}>开设个人管理员账号</a>并保存其令牌；开设后初始化令牌立即失效，服务才允许在本机以外的地址提供服务。
          </p>
        ) : null}
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

function App() {
  const [user, setUser] = useState<User | null>(null);
  const [institution, setInstitution] = useState<Institution | null>(null);
  // A new tab first asks the other tabs for their token (session.borrow), so it starts as "signing in".
  const [starting, setStarting] = useState(true);
  const [startError, setStartError] = useState<unknown>(null);

  const signOut = () => {
    session.signOut();
    forgetCaches();
    setUser(null);
    setInstitution(null);
  };

  const enter = async (token: string) => {
    session.signIn(token);
    try {
      const me = await api.get<User>('/me');
      const own = me.institutionId ? await api.get<Institution>(`/institutions/${me.institutionId}`) : null;
      forgetCaches();
      setInstitution(own);
      setUser(me);
      // The page in the address stays when this user may use it (a link someone opened); otherwise
      // (another user's page after signing out and in) the user lands on their own home page.
      const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
      const route = ROUTES.find((candidate) => matchPath(candidate.pattern, path));
      if (path === '/' || !route || !route.roles.includes(me.role)) navigate(homeOf(me.role));
    } catch (error) {
      session.forget();
      throw error;
    }
  };

  useEffect(() => {
    session.onSignedOut(() => {
      signOut();
      setStartError(new ApiError(401, 'UNAUTHENTICATED', 'signed out'));
    });
    void session.borrow().then((token) => {
      if (!token) return setStarting(false);
      enter(token)
        .catch(setStartError)
        .finally(() => setStarting(false));
    });
  }, []);

  if (starting) return <p class="muted center">正在登录…</p>;
  if (!user) return <SignInPage onSignIn={enter} notice={startError ? <ErrorNotice error={startError} /> : null} />;
  return <Shell user={user} institution={institution} onSignOut={signOut} />;
}

render(<App />, document.getElementById('app')!);
