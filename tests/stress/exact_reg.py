#!/usr/bin/env python3
"""exact_reg.py - the SE of the residual tau^2 of a DerSimonian-Laird
meta-regression on one moderator, in exact rational arithmetic on the same
doubles metasyn reads, against `metasyn reg --method DL -f json`.

    python3 tests/stress/exact_reg.py SEED N LOG10_VMIN LOG10_VMAX METASYN

N random data sets of k = 3..8 studies (yi ~ N(0,1), x ~ N(0,1), vi
log-uniform in [10^LOG10_VMIN, 10^LOG10_VMAX]); prints the data sets whose
tau2_se differs by more than 1e-8 relative, then the largest difference.
P = W - W X (X'WX)^-1 X'W; tau2 = max(0, (y'Py - (k-2)) / tr(P)); its SE is
metafor's sqrt(2 df + 4 tau2 tr(P) + 2 tau2^2 tr(PP)) / tr(P).
Measured (docs/robustness.md): seed 1, 150 sets, vi 1e-12..1e6: 1.4e-8;
seed 2, 100 sets, vi 0.01..1: 4.6e-15.  Writes d.csv in the current folder.
"""
from fractions import Fraction as F
import sys, random, subprocess, json, math
def solve(A,b):
    n=len(A); M=[row[:]+[bb] for row,bb in zip(A,b)]
    for c in range(n):
        piv=next(r for r in range(c,n) if M[r][c]!=0); M[c],M[piv]=M[piv],M[c]
        for r in range(n):
            if r!=c and M[r][c]!=0:
                f=M[r][c]/M[c][c]; M[r]=[a-f*b for a,b in zip(M[r],M[c])]
    return [M[i][n]/M[i][i] for i in range(n)]
def exact(y,v,x):
    k=len(y); w=[1/F(vi) for vi in v]; X=[[F(1),F(xi)] for xi in x]
    A=[[sum(w[i]*X[i][a]*X[i][b] for i in range(k)) for b in range(2)] for a in range(2)]
    c0=solve(A,[F(1),F(0)]); c1=solve(A,[F(0),F(1)]); inv=[[c0[0],c1[0]],[c0[1],c1[1]]]
    H=[[sum(X[i][a]*inv[a][b]*X[j][b] for a in range(2) for b in range(2)) for j in range(k)] for i in range(k)]
    P=[[(w[i] if i==j else 0)-w[i]*H[i][j]*w[j] for j in range(k)] for i in range(k)]
    trP=sum(P[i][i] for i in range(k)); trPP=sum(P[i][j]*P[j][i] for i in range(k) for j in range(k))
    Q=sum(F(y[i])*P[i][j]*F(y[j]) for i in range(k) for j in range(k)); df=k-2
    t=max(F(0),(Q-df)/trP)
    return float(t), math.sqrt(float((2*df+4*t*trP+2*t*t*trPP)/(trP*trP)))
def find(o,key):
    if isinstance(o,dict):
        if key in o: return o[key]
        o=list(o.values())
    if isinstance(o,list):
        for vv in o:
            r=find(vv,key)
            if r is not None: return r
random.seed(int(sys.argv[1])); worst=0; lo,hi=float(sys.argv[3]),float(sys.argv[4])
for rep in range(int(sys.argv[2])):
    k=random.randint(3,8)
    y=[random.gauss(0,1) for _ in range(k)]; v=[10**random.uniform(lo,hi) for _ in range(k)]; x=[random.gauss(0,1) for _ in range(k)]
    with open('d.csv','w') as f:
        f.write('study,yi,vi,x\n')
        for i in range(k): f.write('s%d,%r,%r,%r\n'%(i,y[i],v[i],x[i]))
    out=subprocess.run([sys.argv[5],'reg','--mod','x','--method','DL','-f','json','d.csv'],capture_output=True,text=True)
    j=json.loads(out.stdout); t,se=exact(y,v,x); mt,ms=find(j,'tau2'),find(j,'tau2_se')
    if ms is None: print(rep,'no tau2_se', out.stdout[:200]); continue
    rel=abs(ms-se)/se if se>0 else abs(ms-se); worst=max(worst,rel)
    if rel>1e-8: print(rep,k,'tau2',t,mt,'se exact',se,'metasyn',ms,'rel',rel)
print('worst relative difference in tau2_se', worst)
