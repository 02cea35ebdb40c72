/** `reasonscope`: the command-line interface to the engine. */
import { BackendError } from '../core/model/errors';
import { SCORER_KINDS } from '../core/reward';
import { STRATEGIES } from '../core/search/strategies';
import { REASONSCOPE_VERSION } from '../core/version';
import { UsageError } from './args';
import { checkCommand } from './check';
import { gradeCommand } from './grade';
import { convertCommand } from './convert';
import { evalCommand } from './eval';
import { importCommand } from './import';
import { inspectCommand } from './inspect';
import { modelsCommand } from './models';
import { searchCommand } from './search';
import { solveCommand } from './solve';
import { strategyList } from './strategyFlags';

const HELP = `reasonscope ${REASONSCOPE_VERSION} — generate and inspect math reasoning chains with local models

Usage:
  reasonscope models [--host URL] [--pull NAME] [--json]
  reasonscope solve <file.problem.md | --text "…"> [options]
  reasonscope search <file.problem.md | --text "…"> --strategy NAME [strategy flags] [--scorer S] [budget] [options]
  reasonscope search --resume <file.run.jsonl> [--host URL] [--concurrency C]
  reasonscope eval <dataset.jsonl> --strategy NAME [--n 1,2,4,8,16] [--limit K] [--out DIR] [strategy flags] [options]
  reasonscope help strategies      every strategy with its flags, defaults and meaning (also: search --list)
  reasonscope grade <--pred "…" --gold "…" | pairs.tsv | pairs.jsonl | -> [--extract] [--last-number] [--time-limit MS]
  reasonscope convert <in.jsonl | file.problem.md | folder> <out.jsonl | folder> [--force]
  reasonscope import <file | folder> [--format F] [--list | --record N [--out FILE] | --all --out DIR]
  reasonscope inspect <run.jsonl | trace file | folder> [--record N] [--probe] [--critical] [--importance] [--budget N] [--json] [--write]
  reasonscope check <file.problem.md | set.jsonl | folder>… [--json] [--no-duplicates] [--duplicates set.jsonl]… [--threshold T]

Solve options (model and sampling options apply to search and eval too):
  -m, --model NAME        model to sample from (default: $REASONSCOPE_MODEL or qwen2.5:1.5b)
  --strategy cot|majority cot: one chain; majority: n chains and a vote (default: majority)
  -n, --n N               chains for majority (default 8)
  --temperature T         sampling temperature (default 0.7; 0 for cot)
  --top-p P               nucleus sampling (default 0.95)
  --seed S                base seed; chain i uses S+i, so runs are reproducible
  --max-tokens N          tokens per chain (default 2048)
  --concurrency C         requests at once (default 2; match OLLAMA_NUM_PARALLEL)
  --no-logprobs           do not request token logprobs
  --answer A              gold answer (overrides the problem file's)
  -o, --out FILE          run file (default .reasonscope/runs/<problem>-<strategy>-<time>.run.jsonl)
  --json                  print the result as one JSON line

Search options:
  --strategy NAME         ${STRATEGIES.map((s) => s.name).join('|')}
  --<parameter> VALUE     the strategy's parameters, e.g. --n 16 (reasonscope help strategies lists them)
  --scorer KIND           ${SCORER_KINDS.join('|')}: scores steps for the strategies that rank chains
                          confidence: the policy's own token probabilities, no extra requests
                          judge: a model on the same server rates each step (p("+") from its logprobs)
                          http: a process reward model on a vLLM server (/pooling)
                          gold: 1 if the chain's answer is the gold one (evaluation only, labelled so)
  --judge-model NAME      judge: the judging model (the policy model will do)
  --judge-samples N       judge: sampled verdicts per step where the server has no logprobs (default 8)
  --prm-url URL           http: the vLLM server, e.g. http://127.0.0.1:8000 (may change on --resume)
  --prm-model NAME        http: the PRM as that server names it, e.g. Qwen/Qwen2.5-Math-PRM-7B
  --prm-separator S       http: the step separator of a PRM Reasonscope does not know
  --max-total-tokens N    stop once N tokens have been generated in all
  --max-requests N        stop once N requests have been sent
  --max-time S            stop after S seconds
  --resume FILE           continue a stopped run in its own file, with its settings (--host,
                          --concurrency and --prm-url may change)
  --list                  every strategy with its flags, defaults and meaning

Eval options (and the search options but --resume and --list):
  -n, --n LIST            values of the strategy's n, one run each per problem (default: its default)
  --limit K               the first K problems (default: all)
  --concurrency C         requests at once over all runs (default 2)
  -o, --out DIR           evaluation folder: runs/, eval.json, summary.json, summary.md
                          (default .reasonscope/evals/<dataset>-<strategy>); running the same command
                          again keeps finished runs, resumes stopped ones and makes the missing ones
  --json                  print the summary as JSON

Import options (ProcessBench, PRM800K, R1-style chats, thought-anchors folders, generic JSONL, text):
  -f, --format F          run|processbench|prm800k|r1-chat|thought-anchors|generic-jsonl|text (default: detected)
  --list                  print one line per record (number · id · model · labels · problem)
  -r, --record N          the record to import, counted from 0 (default 0)
  -o, --out FILE|DIR      run file (default .reasonscope/runs/<file>-<N>.run.jsonl); with --all, a folder
  --all                   every record, one run file each; unreadable ones are listed and the exit code is 1

Inspect: self-corrections (kind, effect, answers before → after), forced-answer probes, critical tokens,
step importance and confidence dips of a run or of any trace import reads; the text analyses need no model.
  -r, --record N          the trace file's record, counted from 0 (default 0); -f, --format F as for import
  --probe                 forced-answer probes at each self-correction point and step end: the chain cut
                          there, "The final answer is $\\boxed{" appended, the model's answer read (greedy)
  --critical              critical tokens of the principal chain (needs token logprobs), by rollouts
  --importance            step importance of the principal chain, by resampling before and after each step
  --chain NODE            the chain through NODE instead of the principal one (the strategy's choice)
  -m, --model NAME        the model to ask (default: the run's); --host, --backend as below
  --budget N              at most N requests for each of --probe, --critical, --importance
  --max-time S            at most S seconds for each of them
  --concurrency C         requests at once (default 2)
  --marker PHRASE         count PHRASE as a self-correction marker too (repeatable)
  --no-marker NAME        leave out a built-in marker: wait, hmm, actually, alternatively, … (repeatable)
  --top K                 lines per section (default 10)
  --json                  everything as one JSON object
  --write                 append the analysis events to the run file (run files only: import a trace first);
                          analysing again writes only what changed

Grade: one JSONL verdict per pair on stdout, a summary on stderr (accuracy when pairs carry labels).
  TSV lines are pred<TAB>gold[<TAB>expected 1|0]; JSONL records have pred, gold[, expected].
  --extract               pull the final answer (\\boxed{}, "The final answer is", …) out of whole solutions
  --last-number           with --extract, fall back to the last number in the text
  --time-limit MS         per comparison (default 1000); past it the pair counts as not equal

Check: the editor's problem checks (YAML/JSON, answers, LaTeX, math delimiters, braces, near-duplicates of
MATH-500 problems) over *.problem.md files and JSONL problem sets; folders are searched for both.
  Prints path:line:col: severity code: message and a summary; exit code 1 when any error is found.
  --json                  all findings as one JSON object
  --no-duplicates         skip the contamination check
  --duplicates FILE       check against this JSONL problem set too, besides MATH-500 (repeatable)
  --threshold T           similarity from which a statement is a near-duplicate (0–1, default 0.8)

Server options (all commands):
  --host URL              model server (default: $OLLAMA_HOST, else http://127.0.0.1:11434)
  --backend ollama|openai an OpenAI-compatible server (vLLM, llama-server, LM Studio) needs --host
  --prompt-format chatml|plain   how the OpenAI backend renders the prompt (default chatml)

Exit codes: 0 done · 1 failed (the reason is printed) · 2 usage error · 130 cancelled (partial run saved)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command === 'help' && rest[0] === 'strategies') {
    console.log(strategyList());
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help' || options.includes('--help') || options.includes('-h')) {
    console.log(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    console.log(REASONSCOPE_VERSION);
    return 0;
  }
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // First Ctrl-C stops generation and saves the partial run; a second one quits at once.
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nStopping… (Ctrl-C again to quit without waiting)\n');
    controller.abort();
  });
  switch (command) {
    case 'models':
      return modelsCommand(rest, controller.signal);
    case 'solve':
      return solveCommand(rest, controller.signal);
    case 'search':
      return searchCommand(rest, controller.signal);
    case 'eval':
      return evalCommand(rest, controller.signal);
    case 'grade':
      return gradeCommand(rest);
    case 'convert':
      return convertCommand(rest);
    case 'import':
      return importCommand(rest, controller.signal);
    case 'inspect':
      return inspectCommand(rest, controller.signal);
    case 'check':
      return checkCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}"; try: reasonscope --help`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`reasonscope: ${err.message}`);
      process.exitCode = 2;
    } else if (err instanceof BackendError && err.code === 'cancelled') {
      console.error('reasonscope: cancelled before the run started; nothing was saved.');
      process.exitCode = 130;
    } else {
      const where = err instanceof BackendError && err.code === 'unreachable' ? ' If it runs elsewhere, pass --host URL or set OLLAMA_HOST.' : '';
      console.error(`reasonscope: ${err instanceof Error ? err.message : String(err)}${where}`);
      if (process.env.REASONSCOPE_DEBUG && err instanceof Error) console.error(err.stack);
      process.exitCode = 1;
    }
  },
);
