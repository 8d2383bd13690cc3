import type { User } from "@jiuye/contracts";
import type { Role } from "@jiuye/domain";

export function presentUser(
  row: {
    id: string;
    username: string;
    display_name: string;
    role: string;
    region_code: string | null;
    region_name: string | null;
    disabled: boolean;
    locked_until: Date | null;
    totp_enabled: boolean;
    must_change_password: boolean;
    last_login_at: Date | null;
    created_at: Date;
  },
  now: Date,
): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    regionCode: row.region_code,
    regionName: row.region_name,
    disabled: row.disabled,
    locked: !!row.locked_until && new Date(row.locked_until) > now,
    totpEnabled: row.totp_enabled,
    mustChangePassword: row.must_change_password,
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
