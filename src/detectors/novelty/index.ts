export {
  createNoveltyDetector,
  NOVEL_TEMPLATE,
  type NoveltyDetector,
  type NoveltyOptions,
  TEMPLATE_RATE,
} from './detector.js';
