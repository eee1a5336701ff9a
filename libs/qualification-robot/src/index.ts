export type { RobotVerdict, RobotItemResult, RobotScreenshot, RobotReport, TestIdentity, RobotTarget, RobotOptions } from './types.js';
export { runQualificationRobot } from './robot.js';
export { BrowserPool } from './browser-pool.js';
export { robotItemsFor } from './items.js';
