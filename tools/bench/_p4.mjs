import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { networkField } from '@implicit-bias/flow';
import { buildNetwork } from './lib/sections.mjs';
const [n,d,L,arch] = process.argv.slice(2);
const be = await createCpuBackend();
const Xh = Float64Array.from({length:n*d},()=>Math.random()-0.5);
const yh = Float64Array.from({length:+n},()=>Math.random()-0.5);
const X = be.fromHost(Xh,[+n,+d]); const y = be.fromHost(yh,[+n]);
const net = buildNetwork(arch==='fc'?'fully-connected':(arch??'diagonal'), +L, +d, 16);
const dim = net.paramSizes.reduce((a,b)=>a+b,0);
const state = Float64Array.from({length:dim},()=>Math.random()*0.5/Math.sqrt(d));
const field = networkField({network:net, backend:be, X, y, labels:yh, loss:'squared', time:'physical', fused:true});
const out = new Float64Array(dim);
const N = Math.max(2000, Math.floor(2e7/(n*d)));
function t(name, fn){ for(let i=0;i<N/10;i++)fn(); const s=[]; for(let k=0;k<9;k++){const t0=performance.now(); for(let i=0;i<N/9;i++)fn(); s.push((performance.now()-t0)*1e3/(N/9));} s.sort((a,b)=>a-b); return s[4]; }
const res={};
for (let rep=0;rep<3;rep++){
 for (const [k,f] of [['evaluate',()=>field.evaluate(state,1)],['evaluate(out)',()=>field.evaluate(state,1,undefined,out)]]) (res[k]??=[]).push(t(k,f));
}
console.log(arch??'diag', L, `${n}x${d}`, Object.entries(res).map(([k,v])=>k+' '+v.sort((a,b)=>a-b)[1].toFixed(2)).join('  '));
