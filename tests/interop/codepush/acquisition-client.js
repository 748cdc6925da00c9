// Drives the real AcquisitionManager of code-push (pinned in ../package-lock.json) against a server, the way
// react-native-code-push does, through a small requester over Node's http module.
// stdin:  {"serverUrl": "...", "concurrency": 8, "calls": [{"op": "check"|"deploy"|"download", "config": {...}, "package": {...}, ...}]}
// stdout: [{"error": null | "message", "result": ...}] in the order of the calls.
"use strict";

const http = require("http");
const { AcquisitionManager } = require("code-push/script/acquisition-sdk");

const VERBS = ["GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"];
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

class NodeHttpRequester {
  request(verb, url, requestBody, callback) {
    if (typeof requestBody === "function") {
      callback = requestBody;
      requestBody = null;
    }
    const headers = { Accept: "application/json" };
    if (requestBody !== null && requestBody !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = Buffer.byteLength(requestBody);
    }
    const request = http.request(url, { method: VERBS[verb], headers, agent }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => callback(null, { statusCode: response.statusCode, body }));
    });
    request.on("error", (error) => callback(error, null));
    if (requestBody !== null && requestBody !== undefined) request.write(requestBody);
    request.end();
  }
}

const requester = new NodeHttpRequester();

function run(serverUrl, call) {
  return new Promise((resolve) => {
    const manager = new AcquisitionManager(requester, { serverUrl, ...call.config });
    const done = (error, result) => resolve({ error: error ? String(error.message || error) : null, result: result === undefined ? null : result });
    try {
      switch (call.op) {
        case "check":
          manager.queryUpdateWithCurrentPackage(call.package, done);
          break;
        case "deploy":
          manager.reportStatusDeploy(call.package, call.status, call.previousLabelOrAppVersion, call.previousDeploymentKey, done);
          break;
        case "download":
          manager.reportStatusDownload(call.package, done);
          break;
        default:
          done(new Error("unknown op " + call.op));
      }
    } catch (error) {
      done(error);
    }
  });
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const { serverUrl, calls, concurrency = 8 } = JSON.parse(input);
  const results = new Array(calls.length);
  let next = 0;
  async function worker() {
    while (next < calls.length) {
      const index = next++;
      results[index] = await run(serverUrl, calls[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
  agent.destroy();
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
