// A maintainer's release script (its path is under scripts/): a generic secret stored under a
// secret-like name is not reported there; an Anthropic key in its own format is.
import { execSync } from "node:child_process";

// ok: hardcoded-secret
const registryPassword = "3Ix8WSq8pBSnq5cYEB48vUAwgAcy";
// ruleid: hardcoded-secret
const anthropicKey = "sk-ant-api03-wPtewsgYqvBJQTdJV1tX5heQwepFLG8Z_ZuXg8EckArd0UFSPwmQfTIGORHPjNXhgjtOmj4n0iX0R7M_nnoTNjUVurMg3P8AA";

execSync(`npm publish --otp ${process.env.OTP}`, { env: { ...process.env, NPM_PASSWORD: registryPassword, KEY: anthropicKey } });
