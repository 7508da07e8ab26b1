// Starts the OpenAI-compatible test server with the keyword demo model, for trying the LLM path without a key:
//   node scripts/openai-test-server.ts [--port 8787] [--refuse-json-schema]
// then  TANDEM_LLM_BASE_URL=http://127.0.0.1:8787/v1 npm start   (or tandem serve / tandem triage --llm-base-url …)
import { parseArgs } from 'node:util';
import { demoModelAnswer } from '../src/testing/demo-model.ts';
import { startOpenAiServer } from '../src/testing/openai-server.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' }, 'refuse-json-schema': { type: 'boolean', default: false } } });
const server = await startOpenAiServer({ script: (req) => demoModelAnswer(req), refuseJsonSchema: values['refuse-json-schema'] }, Number(values.port));
process.stdout.write(`OpenAI-compatible test server (keyword demo model) at ${server.baseUrl}\nTANDEM_LLM_BASE_URL=${server.baseUrl}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
