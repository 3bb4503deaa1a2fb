export const ROLES = ['admin', 'drafter', 'press', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  drafter: '起草部门',
  press: '新闻办',
  leader: '领导',
};

/** Who is acting: named in the audit log by username. */
export interface Actor {
  username: string;
  userId: number | null;
  role: Role;
  /** A drafter's departments (for other roles, informative only). */
  departments: string[];
  via: 'admin_token' | 'token' | 'session' | 'system';
}

/** Background jobs and start-up loading of feeds/. */
export const SYSTEM_ACTOR: Actor = { username: 'system', userId: null, role: 'admin', departments: [], via: 'system' };

/** The ADMIN_TOKEN: every right, named in the audit log as such. */
export const ADMIN_TOKEN_ACTOR: Actor = { username: 'admin-token', userId: null, role: 'admin', departments: [], via: 'admin_token' };
