// Read one otpauth:// URI per line on stdin; print one JSON object per line: what the npm
// `otpauth` package (an independent parser) reads from it, or {"error": "..."}.
"use strict";
const { URI, HOTP } = require("otpauth");
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.length > 0);
for (const line of lines) {
  let out;
  try {
    const otp = URI.parse(line);
    out = {
      type: otp instanceof HOTP ? "hotp" : "totp",
      issuer: otp.issuer,
      name: otp.label,
      secret: otp.secret.base32,
      algorithm: otp.algorithm,
      digits: otp.digits,
      period: otp instanceof HOTP ? null : otp.period,
      counter: otp instanceof HOTP ? String(otp.counter) : null,
    };
  } catch (e) {
    out = { error: String(e && e.message) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
