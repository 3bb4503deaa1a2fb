/**
 * Password hashing is a runtime port: scrypt (node:crypto) on Node; the Workers build supplies
 * its own. `verify` never throws: a malformed stored hash simply does not verify.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}
