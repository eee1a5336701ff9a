import { QualificationRobotPassEntity } from './qualification-robot/qualification-robot-pass.entity.js';
import { QualificationRobotResultEntity } from './qualification-robot/qualification-robot-result.entity.js';
import { QualificationRobotRunEntity } from './qualification-robot/qualification-robot-run.entity.js';
import { QualificationRobotScreenshotEntity } from './qualification-robot/qualification-robot-screenshot.entity.js';

export * from './qualification-robot/qualification-robot-pass.entity.js';
export * from './qualification-robot/qualification-robot-result.entity.js';
export * from './qualification-robot/qualification-robot-run.entity.js';
export * from './qualification-robot/qualification-robot-screenshot.entity.js';

/** Entities of the qualification robot's runs (libs/qualification-runs, the API's robot pages, the portal's robot pass). */
export const QUALIFICATION_ROBOT_AREA_ENTITIES: (new () => object)[] = [
  QualificationRobotRunEntity,
  QualificationRobotResultEntity,
  QualificationRobotScreenshotEntity,
  QualificationRobotPassEntity,
];
