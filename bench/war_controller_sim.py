#!/usr/bin/env python3
"""Closed-loop simulation behind the ratio rule's defaults (docs/war.md). Plain Python 3, no packages.

The "network" answers λ with a robust term that relaxes, with a lag of tau batches, towards 0.4·(λ0/λ)^a
(a = 0.7: a larger λ makes the network more stable), observed with ±20% batch noise. rho_ref is set so that the
balance is reached at λ = 12 = 2·λ0. The rule is exactly RatioController's: EMA of both risks with smoothing
2/(window+1), every `interval` batches λ ← clamp(λ·(ρ_t/ρ_ref)^γ, λ0, λ_max = 4·λ0). Printed per setting: the
batch after which λ stays within 10% of 12 (settle), the overshoot, and the range of λ over the second half.
"""
import math, random
def sim(gamma, interval, window, tau, noise=0.2, a=0.7, T=3000, seed=1):
    random.seed(seed)
    lam0=6; lam=lam0; lmax=24
    rhoref=0.4*0.5**a   # target lambda 12
    target=lambda l: 0.4*(lam0/l)**a
    rho=target(lam); en=0; er=0; s=2/(window+1); n=0
    traj=[]
    for t in range(T):
        rho += (target(lam)-rho)/tau
        rob = rho*(1+noise*(2*random.random()-1))
        al = 1 if n==0 else s
        en += al*(1-en); er += al*(rob-er); n+=1
        if n%interval==0:
            lam=min(lmax,max(lam0,lam*(er/en/rhoref)**gamma))
        traj.append(lam)
    tail=traj[T//2:]
    # settle time: first t after which always within 10% of 12
    st=T
    for i in range(T-1,-1,-1):
        if abs(traj[i]-12)/12>0.1: st=i+1; break
    over=max(traj)/12-1
    return st, over, min(tail), max(tail)
for tau in [1,50,200]:
  for g in [0.25,0.5,1.0]:
    for iv in [5,10,25]:
      for w in [20,50,100]:
        st,over,mn,mx=sim(g,iv,w,tau)
        print(f"tau={tau:3d} g={g:4} int={iv:3d} win={w:3d} settle={st:5d} overshoot={over:6.2%} tail=[{mn:.2f},{mx:.2f}]")
print("-----")
for g in [0.1,0.2,0.25,0.3]:
  for iv in [10,20,25,50]:
    for w in [20,50]:
      row=[]
      for tau in [20,50,200,500]:
        st,over,mn,mx=sim(g,iv,w,tau,T=5000)
        row.append(f"t{tau}:st{st:5d} ov{over:5.0%} [{mn:.1f},{mx:.1f}]")
      print(f"g={g} int={iv} win={w} ", " | ".join(row))
