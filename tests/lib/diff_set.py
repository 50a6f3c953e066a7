#!/usr/bin/python3
"""Per-mail differences of one set: diff_set.py SETDIR [IKZREG]
(expected .json vs `ikzreg analyse`; with the review reasons of each
mail sent to review)."""
import json,glob,subprocess,sys,os
d=sys.argv[1]; b=sys.argv[2] if len(sys.argv)>2 else 'build/ikzreg'
mails=sorted(glob.glob(d+'/[0-9]*.eml'))
out=subprocess.run([b,'analyse']+mails,capture_output=True,text=True).stdout.splitlines()
for m,l in zip(mails,out):
    g=json.loads(l); e=json.load(open(m[:-4]+'.json'))
    bad=[]
    for k in ('intent','needs_review','event','reply_to','reply_allowed'):
        if k in e and e[k]!=g.get(k): bad.append('%s: got %r exp %r'%(k,g.get(k),e[k]))
    ep=e.get('participants'); gp=g.get('participants',[])
    if ep is not None:
        if len(ep)!=len(gp): bad.append('n people got %d exp %d'%(len(gp),len(ep)))
        for x,y in zip(ep,gp):
            for k in ('salutation','title','given_name','family_name','function','organisation','email'):
                if x[k]!=y.get(k): bad.append('  %s: got %r exp %r'%(k,y.get(k),x[k]))
    if bad:
        print('==',os.path.basename(m)); print('\n'.join('   '+x for x in bad))
        if g['needs_review']: print('   reasons:', [r for r in g.get('reasons',[]) if r.startswith('review')][:4])
