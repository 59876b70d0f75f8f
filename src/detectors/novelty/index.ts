export { createNoveltyDetector, NOVEL_TEMPLATE, type NoveltyOptions, TEMPLATE_RATE } from './detector.js';
