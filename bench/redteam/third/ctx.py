import json,sys
scen,lo,hi=sys.argv[1:4]; kinds=sys.argv[4].split(',') if len(sys.argv)>4 else None
for l in open(f'scenarios/{scen}/events.jsonl'):
    e=json.loads(l)
    if lo<=e['time']<=hi and (not kinds or e['kind'] in kinds):
        o=e['object']; print(e['time'],e['kind'],e['actor']['type'] if e['actor'] else '-', (o.get('message') or o.get('reaction') or '')[:90], o.get('app') or '')
