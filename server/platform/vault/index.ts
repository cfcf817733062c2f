// The Aadhaar Data Vault: what modules may use (spec 04, issue 14 item 3).
export { aadhaarHash, type ReencryptReport, type VaultEntry, vaultEntry, vaultFind, vaultGet, vaultPut, vaultPutMany, vaultReencrypt } from './vault.ts';
export {
  DEMO_HMAC_KEY,
  DEMO_VAULT_KEY,
  keyringFromEnv,
  type VaultKeyring,
  VaultKeyError,
  useVaultKeyring,
  vaultKeyProblems,
  vaultKeyring,
} from './vault.keys.ts';
export { aadhaarVault } from './vault.table.ts';
