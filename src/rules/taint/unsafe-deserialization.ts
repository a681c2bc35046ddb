import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/unsafe-deserialization',
    name: 'Deserialisation of untrusted data',
    cwes: [502],
    severity: 'critical',
    securitySeverity: 9.8,
    precision: 'high',
    banditIds: ['B301', 'B302', 'B506', 'B614'],
    docs: {
      summary: 'Untrusted bytes are deserialised with a format that can construct arbitrary objects.',
      what: 'Follows untrusted data into `pickle`, `marshal`, `shelve`, `dill`, `jsonpickle`, `yaml.load` with an unsafe loader, `yaml.unsafe_load`/`full_load`, `pandas.read_pickle` and `torch.load`.',
      why: 'These formats run code while loading (pickle\'s `__reduce__`, YAML\'s python tags): whoever supplies the bytes runs code in the server.',
      example: 'obj = pickle.loads(request.data)',
      fix: 'obj = json.loads(request.data)  # data only\n# or: yaml.safe_load(request.data)',
    },
  },
  sinkKinds: ['deserialization'],
  effect: 'deserialises it in a format that can run code',
  fix: () => 'Use a data-only format: `json.loads()`, or `yaml.safe_load()` / `yaml.load(data, Loader=yaml.SafeLoader)`; if objects must be exchanged, sign them (HMAC) and verify before loading.',
});
