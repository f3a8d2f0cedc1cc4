import { expect } from "chai";
import { ACTIVITY_CLASSES, activityIndex } from "../../src/model/cpu/activity.js";

describe("activity classes", () => {
  it("activityIndex (the switch Context.run uses) agrees with the declared list", () => {
    ACTIVITY_CLASSES.forEach((c, i) => expect(activityIndex(c), c).to.equal(i));
    expect(activityIndex("interrupt")).to.equal(-1);
    expect(activityIndex("")).to.equal(-1);
  });
});
