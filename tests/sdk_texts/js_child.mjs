// Run the real @anthropic-ai/sdk through one job and let its error go uncaught, so Node
// prints it to stderr as a user sees it; String(err) goes to stdout first.
// argv[2]: the job as JSON: base_url, api_key (null: none given and none in the environment),
// max_retries, timeout (seconds, null for the SDK's default), stream (read a streamed answer
// to the end). argv[3]: the file URL of the SDK's index.mjs. The CA to trust comes from
// NODE_EXTRA_CA_CERTS. Started by tests/sdk_texts/generate.py.
const { default: Anthropic } = await import(process.argv[3]);

const job = JSON.parse(process.argv[2]);
const params = {
  model: "claude-sonnet-4-5",
  max_tokens: 64,
  messages: [{ role: "user", content: "say hi" }],
};
const options = { baseURL: job.base_url, maxRetries: job.max_retries };
if (job.api_key !== null) options.apiKey = job.api_key;
if (job.timeout !== null) options.timeout = job.timeout * 1000;

const answer = (async () => {
  const client = new Anthropic(options);
  if (job.stream) return client.messages.stream(params).finalMessage();
  return client.messages.create(params);
})();
answer.catch((err) => process.stdout.write(String(err)));
await answer;
