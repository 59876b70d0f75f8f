export { type AccessRequest, classifyRequest, findAttacks } from './classify.js';
export { createWebAttackEnricher, tagAttack } from './enricher.js';
export { ATTACK_CLASSES, type AttackClass, type Classification, type Finding } from './types.js';
