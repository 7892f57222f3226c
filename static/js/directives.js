/* 督办事项's 立项 form: only the particulars of the chosen source are shown (批示: the leader;
   会议: the meeting; 上级交办: the authority and its 文号). Without this file every field shows. */
(function () {
  "use strict";
  var select = document.getElementById("id_source");
  if (!select) { return; }
  function show() {
    document.querySelectorAll("[data-source-for]").forEach(function (box) {
      var wanted = box.dataset.sourceFor.split(" ");
      box.hidden = wanted.indexOf(select.value) === -1;
    });
  }
  select.addEventListener("change", show);
  show();
}());
