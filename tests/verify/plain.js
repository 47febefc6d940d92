// The plain check in Node: HMAC-SHA256 of the raw body, compared in constant time.
// stdin: {"secret": "whsec_...", "headers": {...}, "body": "<raw body>"}; exit 0 when valid.
const crypto = require("crypto");
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  const { secret, headers, body } = JSON.parse(input);
  const expected = "sha256=" + crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex");
  const given = headers["x-webhook-signature"] || "";
  const ok = given.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) { console.error("signature mismatch"); process.exit(1); }
  console.log("ok");
});
