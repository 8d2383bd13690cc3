export { buildApp } from "./app.ts";
export { type Config, ConfigError, ensureSecretKey, loadConfig } from "./config.ts";
export { createFieldCipher } from "./lib/field-cipher.ts";
export { createAuditService } from "./modules/audit/audit.service.ts";
export { totpCodeAt } from "./modules/auth/auth.service.ts";
export { DEMO_ACCOUNTS, DEMO_CITY, DEMO_PASSWORD, isDemoSeeded, seedDemoCity } from "./seed/demo-city.ts";
export { insertUser } from "./seed/factories.ts";
export { bootstrapAdmin, openMigratedDatabase, startServer } from "./server.ts";
