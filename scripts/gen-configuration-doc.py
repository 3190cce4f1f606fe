#!/usr/bin/env python3
"""Writes docs/configuration.md from voice-app's SettingsCatalog (the one list of settings)."""
import re, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
src = (root / 'voice-app/src/main/java/io/voiceagent/app/SettingsCatalog.java').read_text()
body = src[src.index('static final List<Setting> ALL'):src.index('private SettingsCatalog()')]
rows = []
for m in re.finditer(r'Setting\.(text|secret|bool|integer|choice)\((.*?)\)(?=,\s*(?://.*\n\s*)?Setting\.|\);)', body, re.S):
    kind, args = m.group(1), m.group(2)
    strs = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
    name = strs[0]
    if kind == 'secret':
        default, meaning = '—', strs[1]
    elif kind == 'choice':
        default, meaning = strs[1], strs[2] + ' (one of: ' + ', '.join(strs[3:]) + ')'
    else:
        default, meaning = strs[1], ''.join(strs[2:])
    rows.append((name, default, meaning, kind))
names = [r[0] for r in rows]
groups = [('Telephony', 'USE_EXOLVE_HTTP', names[names.index('AI_PROVIDER') - 1]), ('AI', 'AI_PROVIDER', 'SOCKS5_PROXY'),
          ('Calls', 'MAX_CONCURRENT_CALLS', 'MAX_CALL_DURATION_S'),
          ('Answering-machine detection', 'AMD_MODE', names[names.index('APP_HOST') - 1]), ('App', 'APP_HOST', 'LOG_FORMAT')]
out = ['# Configuration', '',
       'Settings come from environment variables; a `.env` file in the working directory is read too, and the real',
       'environment wins. Every setting is checked at startup: a missing or malformed one stops startup with one line',
       "per problem naming the variable (a secret's value is never echoed). `java -jar voice-app.jar --help` prints",
       'this list. With nothing set, everything runs offline in the sandbox. This page is generated from',
       '`SettingsCatalog` by `scripts/gen-configuration-doc.py`; a test checks that the two agree.', '',
       'Secrets (marked 🔒) are masked in logs and never appear in API output.', '']
for title, a, b in groups:
    out += ['## ' + title, '', '| variable | default | meaning |', '| --- | --- | --- |']
    for r in rows[names.index(a):names.index(b) + 1]:
        out.append('| `%s`%s | %s | %s |' % (r[0], ' 🔒' if r[3] == 'secret' else '', r[1], r[2].replace('|', '\\|')))
    out.append('')
out += ['## Notes', '',
        "- **`MAX_CONCURRENT_CALLS` should not exceed the AI plan's concurrency** (ElevenLabs allows a fixed number of",
        '  simultaneous conversations per plan; over it, connects are refused and those calls end `ai_disconnected`).',
        '- Provider choice follows SPEC: `AI_PROVIDER` if set (an unknown name stops startup listing the present ones);',
        '  else the one configured provider (`elevenlabs` needs `ELEVENLABS_AGENT_ID`; a key alone is not enough); else',
        '  `sandbox`. Telephony: `USE_EXOLVE_HTTP=true` → Exolve HTTP (which also needs the SIP account for its audio',
        '  leg); else SIP when `EXOLVE_SIP_USER` is set; else the sandbox callee on loopback.',
        '- `APP_HOST` defaults to `127.0.0.1`: the API is not reachable from other machines unless you say so. Set',
        '  `APP_API_TOKEN` before binding it elsewhere.', '']
(root / 'docs/configuration.md').write_text('\n'.join(out))
print(len(rows), 'settings')
