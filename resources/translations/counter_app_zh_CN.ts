<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdminWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/staff_admin.py" line="+207"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add...</source>
        <translation>新增...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password...</source>
        <translation>重置密码...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roles...</source>
        <translation>设置岗位...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify audit trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Active</source>
        <translation>已启用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The new password is set.</source>
        <translation>新密码已设置。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Checking...</source>
        <translation>正在校验...</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Audit trail intact: %n entries.</source>
        <translation>
            <numerusform>审计日志完整：共 %n 条记录。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Audit trail damaged at entry %1: %2</source>
        <translation>审计日志在第 %1 条记录处损坏：%2</translation>
    </message>
</context>
<context>
    <name>BackofficeWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/posts.py" line="+347"/>
        <source>Blank forms</source>
        <translation>有价单证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reconciliation</source>
        <translation>单证对账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services and printers</source>
        <translation>业务与打印机</translation>
    </message>
</context>
<context>
    <name>BlankFormsPanel</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="+1464"/>
        <source>Form type:</source>
        <translation>单证类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder:</source>
        <translation>持有人：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receive allocation... (F2)</source>
        <translation>接收总公司下发... (F2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issue to clerk... (F3)</source>
        <translation>出单员领用... (F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take back... (F4)</source>
        <translation>收回未用... (F4)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write off returned... (F6)</source>
        <translation>交回回销... (F6)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report lost... (F7)</source>
        <translation>登记遗失... (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock-take... (F8)</source>
        <translation>盘点... (F8)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Form type</source>
        <translation>单证类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder</source>
        <translation>持有人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Count</source>
        <translation>份数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serials</source>
        <translation>号段</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>All form types</source>
        <translation>全部单证类型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All holders</source>
        <translation>全部持有人</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>%1 blank forms in the branch stock, %2 blank with clerks, %3 used or voided not yet written off, %4 lost</source>
        <translation>网点库存空白单证 %1 份，出单员领用未用 %2 份，已使用或已作废待回销 %3 份，遗失 %4 份</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 is not on hand: never received, or written off.</source>
        <translation>%1 不在账上：未曾入库，或已回销。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 is with %2: %3.</source>
        <translation>%1 在 %2 处：%3。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The form types are not loaded yet; press F5.</source>
        <translation>单证类型尚未载入，请按 F5。</translation>
    </message>
</context>
<context>
    <name>BoardLinkDialog</name>
    <message>
        <location filename="../../counter_app/ui/board_link_dialog.py" line="+102"/>
        <source>Waiting-area board on a TV</source>
        <translation>等候区电视叫号屏</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open this address in the browser of the waiting-area TV, or scan the code with it. The address lets that screen show the board and nothing else; no staff password is needed on the TV.</source>
        <translation>在等候区电视的浏览器中打开此地址，或用电视扫描二维码。该地址只能让这块屏幕显示叫号信息，电视上无需输入员工密码。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The hub answers on this computer only (%1): a TV cannot reach this address. Run the hub on the branch network to use a TV.</source>
        <translation>网点服务器只在本机应答（%1），电视无法访问此地址。如需使用电视，请在网点局域网上运行网点服务器。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Waiting-area TV</source>
        <translation>等候区电视</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create address</source>
        <translation>生成地址</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Screen name:</source>
        <translation>屏幕名称：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The address is shown only now: the hub keeps no copy of its key. If the TV is lost or replaced, revoke its address below.</source>
        <translation>地址只在此刻显示一次：网点服务器不保存其密钥。电视遗失或更换时，请在下方撤销其地址。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Address for the TV:</source>
        <translation>电视地址：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By</source>
        <translation>创建人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revoke address</source>
        <translation>撤销地址</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Screens linked to this hub:</source>
        <translation>已连接本网点服务器的屏幕：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Give the screen a name first.</source>
        <translation>请先为屏幕命名。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Address created for “%1”.</source>
        <translation>已为“%1”生成地址。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
</context>
<context>
    <name>BoardWindow</name>
    <message>
        <location filename="../../counter_app/ui/board.py" line="+235"/>
        <source>Display board</source>
        <translation>叫号屏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent calls</source>
        <translation>最近叫号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting now</source>
        <translation>当前等候</translation>
    </message>
    <message>
        <location line="+182"/>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Please wait for your number to be called</source>
        <translation>请留意叫号</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Calling again</source>
        <translation>再次呼叫</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Now calling</source>
        <translation>正在呼叫</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>Window %1</source>
        <translation>%1号窗口</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 waiting</source>
        <translation>等候 %1 人</translation>
    </message>
</context>
<context>
    <name>CalibrationDialog</name>
    <message>
        <location filename="../../counter_app/ui/calibration_dialog.py" line="+234"/>
        <source>Form printer calibration</source>
        <translation>单证打印机校准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer:</source>
        <translation>打印机：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper:</source>
        <translation>纸张：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print calibration page</source>
        <translation>打印校准页</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1. Put a form of the chosen paper in the printer and print the calibration page. 2. With a ruler, measure the centre of cross A from the left and the top edge of the paper (it belongs %1 mm from each), and cross B the same way. 3. Type the four distances and press “Work out”, or type the correction itself: shift = %1 − measured distance of A (mm; plus moves right or down). 4. Save, print the page again: the crosses should be within 0.5 mm.</source>
        <translation>1. 将所选纸张的单证放入打印机，打印校准页。2. 用直尺量出十字 A 中心到纸张左边缘和上边缘的距离（标准均为 %1 毫米），十字 B 同样测量。3. 输入这四个距离后按“计算”，或直接输入校正值：偏移 = %1 − 十字 A 的实测距离（毫米；正值向右或向下移）。4. 保存后再打印一次校准页：十字偏差应在 0.5 毫米以内。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Correction for this printer</source>
        <translation>本打印机的校正值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shift right:</source>
        <translation>向右偏移：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shift down:</source>
        <translation>向下偏移：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scale across:</source>
        <translation>横向缩放：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scale down:</source>
        <translation>纵向缩放：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No correction</source>
        <translation>清除校正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Or: where the crosses were measured</source>
        <translation>或：输入十字的实测位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cross A (top left):</source>
        <translation>十字 A（左上）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cross B (bottom right):</source>
        <translation>十字 B（右下）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the left edge</source>
        <translation>距左边缘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the top edge</source>
        <translation>距上边缘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work out</source>
        <translation>计算</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2 × %3 mm)</source>
        <translation>%1（%2 × %3 毫米）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Simulated printer (PDF file)</source>
        <translation>模拟打印机（PDF 文件）</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>These distances give no usable correction: %1</source>
        <translation>按这些距离算不出可用的校正值：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Worked out; save it, then print the page again to check.</source>
        <translation>已算出校正值；请保存，再打印一次校准页核对。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Saved for %1; policy forms printed on it use it.</source>
        <translation>已为 %1 保存；在该打印机上打印保单单证时将使用此校正值。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Printing the calibration page…</source>
        <translation>正在打印校准页…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Calibration page printed on %1: measure the crosses.</source>
        <translation>校准页已在 %1 打印：请测量十字位置。</translation>
    </message>
</context>
<context>
    <name>ChecklistBrowser</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/reference_views.py" line="+85"/>
        <source>Document</source>
        <translation>单证</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Original / copy</source>
        <translation>原件/复印件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Required</source>
        <translation>是否必交</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy</source>
        <translation>复印件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>If applicable</source>
        <translation>视情况</translation>
    </message>
</context>
<context>
    <name>ClerkWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/posts.py" line="-137"/>
        <source>Policy printing</source>
        <translation>出单打印</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Calling</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Services and printers</source>
        <translation>业务与打印机</translation>
    </message>
</context>
<context>
    <name>CollectorWorkspace</name>
    <message>
        <location line="+68"/>
        <source>Intake</source>
        <translation>收单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handover and archive</source>
        <translation>交接与归档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pickups</source>
        <translation>上门收单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Productivity</source>
        <translation>工作量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calling</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Services and checklists</source>
        <translation>业务与单证清单</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <location filename="../../counter_app/ui/banner.py" line="+21"/>
        <source>Cannot reach the branch hub. Reconnecting automatically; what you type is kept and can be sent when the link is back.</source>
        <translation>无法连接网点服务器，正在自动重连；已输入的内容会保留，连接恢复后即可提交。</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../counter_app/ui/intake_follow_up.py" line="+55"/>
        <source>Log contact for %1</source>
        <translation>记录联系：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · %2 · missing %3</source>
        <translation>%1 · %2 · 缺 %3 项</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Phone call</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text message</source>
        <translation>短信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visit</source>
        <translation>上门</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reached: will bring the documents</source>
        <translation>已联系上：客户将补交资料</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused</source>
        <translation>客户拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message sent</source>
        <translation>短信已发送</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Method:</source>
        <translation>方式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome:</source>
        <translation>结果：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next follow-up:</source>
        <translation>下次跟进：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reading what is missing...</source>
        <translation>正在读取尚缺单证……</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy text (Ctrl+Shift+C)</source>
        <translation>复制短信 (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Text message:</source>
        <translation>短信内容：</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../../counter_app/ui/intake.py" line="+134"/>
        <source>Take a document back</source>
        <translation>撤回单证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take back %1? Reason:</source>
        <translation>撤回 %1？原因：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ticked by mistake</source>
        <translation>误勾选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong document</source>
        <translation>单证不符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not legible</source>
        <translation>字迹不清</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given back to the customer</source>
        <translation>已退还客户</translation>
    </message>
</context>
<context>
    <name>CounterApp</name>
    <message>
        <location filename="../../counter_app/ui/app.py" line="+199"/>
        <source>Hub not started</source>
        <translation>网点服务器未启动</translation>
    </message>
</context>
<context>
    <name>CounterPanel</name>
    <message>
        <location filename="../../counter_app/ui/counter_panel.py" line="+246"/>
        <source>Window:</source>
        <translation>窗口：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call next</source>
        <translation>呼叫下一位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transfer...</source>
        <translation>转移…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open</source>
        <translation>开窗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关窗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No-shows at this window</source>
        <translation>本窗口过号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Missed at</source>
        <translation>过号时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reinstate</source>
        <translation>恢复排队</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>open</source>
        <translation>开放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Choose your window first.</source>
        <translation>请先选择您的窗口。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No one is waiting for this window.</source>
        <translation>本窗口暂无客户等候。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Called %1.</source>
        <translation>已呼叫 %1。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The hub did not answer. Press again to repeat the same call.</source>
        <translation>网点服务器未应答。请再按一次，重复同一次呼叫（不会多叫号）。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Finished %1.</source>
        <translation>%1 已办结。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 marked as no-show; it can be reinstated.</source>
        <translation>%1 已过号，可恢复排队。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Called %1 again.</source>
        <translation>已重呼 %1。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 transferred.</source>
        <translation>%1 已转移。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 is back in the queue at its place.</source>
        <translation>%1 已按原位置恢复排队。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>(elderly)</source>
        <translation>（老年人）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(disabled)</source>
        <translation>（残障）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(VIP)</source>
        <translation>（贵宾）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Press %1 to call the next customer.</source>
        <translation>按 %1 呼叫下一位客户。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose your window to start calling.</source>
        <translation>请选择窗口后开始叫号。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 %2 · %3 · calls: %4 · waited %5 min</source>
        <translation>%1%2 · %3 · 呼叫 %4 次 · 已等 %5 分钟</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Waiting for this window: %1</source>
        <translation>本窗口等候：%1</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../counter_app/ui/crash.py" line="+44"/>
        <source>The program hit an error</source>
        <translation>程序出错</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Something went wrong. A report was saved to:
%1
Please give it to the branch IT. You can go on working or quit.</source>
        <translation>程序发生错误，错误报告已保存到：
%1
请将报告交给网点信息技术人员。您可以继续工作，也可以退出程序。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>DemoMark</name>
    <message>
        <location filename="../../counter_app/ui/widgets.py" line="+58"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demo data: made-up staff and records, never sent to head office</source>
        <translation>演示数据：人员和记录均为虚构，不会上传总公司</translation>
    </message>
</context>
<context>
    <name>FollowUpPanel</name>
    <message>
        <location filename="../../counter_app/ui/intake_follow_up.py" line="+109"/>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claim number, plate, name or phone; Enter</source>
        <translation>报案号、车牌、姓名或电话，回车查找</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only mine</source>
        <translation>只看我的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log contact (F6)</source>
        <translation>记录联系 (F6)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Due</source>
        <translation>跟进日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claim number</source>
        <translation>报案号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitter</source>
        <translation>交单人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Missing</source>
        <translation>缺件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claim type</source>
        <translation>案件类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opened</source>
        <translation>收单时间</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Found for “%1”: %2 files</source>
        <translation>“%1”的查找结果：%2 件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 files lack documents, %2 of them overdue</source>
        <translation>资料不齐 %1 件，其中逾期 %2 件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(overdue)</source>
        <translation>（逾期）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(today)</source>
        <translation>（今天）</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Contact logged for %1; next follow-up %2.</source>
        <translation>已记录 %1 的联系；下次跟进 %2。</translation>
    </message>
</context>
<context>
    <name>FormsDialog</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="-1137"/>
        <source>Saving...</source>
        <translation>正在保存...</translation>
    </message>
</context>
<context>
    <name>GuideWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/posts.py" line="-127"/>
        <source>Direct each customer to the right service; the windows serving it are listed.</source>
        <translation>请引导每位客户办理对应业务；下表列出了办理各项业务的窗口。</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <location filename="../../counter_app/ui/intake_office.py" line="+269"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archive (F7)</source>
        <translation>归档 (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hand over (F8)</source>
        <translation>交接 (F8)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Space: tick the file · Ctrl+A: tick all · F8: hand the ticked files over and save the list · F7: archive the selected file</source>
        <translation>空格：勾选案件 · Ctrl+A：全选 · F8：交接已勾选案件并保存清单 · F7：归档所选案件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Claim number</source>
        <translation>报案号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt</source>
        <translation>回执号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claim type</source>
        <translation>案件类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitter</source>
        <translation>交单人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opened</source>
        <translation>收单时间</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Handover batch</source>
        <translation>交接批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the list again</source>
        <translation>重新保存清单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan signed list:</source>
        <translation>扫描签收清单：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scan or type the batch number (JJ…), then Enter</source>
        <translation>扫描或输入批次号（JJ…），按回车</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Incomplete</source>
        <translation>资料不齐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete</source>
        <translation>资料齐全</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handed over</source>
        <translation>已交接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1 complete files to hand over, %2 ticked; %3 handed over, not archived</source>
        <translation>待交接齐全案件 %1 件，已勾选 %2 件；已交接未归档 %3 件</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>No batch made here yet.</source>
        <translation>本机尚未生成交接批次。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 files, made by %2 at %3</source>
        <translation>共 %1 件，%2 于 %3 生成</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Tick the files to hand over (Space), then F8.</source>
        <translation>请先用空格勾选要交接的案件，再按 F8。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Making the batch...</source>
        <translation>正在生成交接批次……</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The list is saved at %1 but was not printed: %2 Press “%3” to retry.</source>
        <translation>清单已保存在 %1，但未打印：%2 请按“%3”重试。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Handover list printed on %1 (saved at %2); send it with the files.</source>
        <translation>交接清单已在 %1 打印（保存在 %2），请随案卷一并移交。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The batch is made, but its list was not saved: %1 Press “%2”.</source>
        <translation>交接批次已生成，但清单未能保存：%1 请按“%2”。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 confirmed: received by %2 at %3 (%4 files).</source>
        <translation>%1 已确认：%2 于 %3 签收（%4 件）。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Archive %1</source>
        <translation>归档 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where is the file kept? Cabinet and box:</source>
        <translation>案卷存放位置（柜号与盒号）：</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 archived: %2.</source>
        <translation>%1 已归档：%2。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Archive location</source>
        <translation>归档位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No staff member has the username %1.</source>
        <translation>没有用户名为 %1 的员工。</translation>
    </message>
</context>
<context>
    <name>HeadOfficeBoard</name>
    <message>
        <location filename="../../counter_app/ui/headoffice_board.py" line="+167"/>
        <source>Branch sync at head office</source>
        <translation>总公司 · 各网点同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branches&apos; sync with head office</source>
        <translation>各网点向总公司同步情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter: branch code or name</source>
        <translation>筛选：网点代码或名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hub enrolled</source>
        <translation>网点服务器已登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last batch received</source>
        <translation>最后收到批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows today</source>
        <translation>今日行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Behind by</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reading…</source>
        <translation>读取中…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not read yet</source>
        <translation>尚未读取</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read at %1</source>
        <translation>读取于 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Showing what was read at %1.</source>
        <translation>显示的是 %1 读取的数据。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 branches · %2 up to date · %3 behind · %4 stale</source>
        <translation>%1 个网点 · %2 个正常 · %3 个滞后 · %4 个停滞</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing received</source>
        <translation>从未收到</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Up to date</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Behind</source>
        <translation>滞后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale</source>
        <translation>停滞</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../counter_app/ui/policy_print.py" line="+452"/>
        <source>Copy the list</source>
        <translation>复制清单</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Policy file imported</source>
        <translation>保单文件已导入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 added, %3 updated, %4 unchanged, %5 refused.</source>
        <translation>%1：新增 %2 份，更新 %3 份，未变 %4 份，拒绝 %5 份。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Refused documents were printed already and have changed since: a printed policy is corrected with an endorsement. Tell the core system&apos;s support.</source>
        <translation>被拒绝的单据已打印过且此后有变动：已打印的保单须通过批单更正。请告知核心系统技术支持。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Refused: printed already, and changed since</source>
        <translation>拒绝：已打印且此后有变动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>已更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>单号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Policy file refused</source>
        <translation>保单文件被拒绝</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 was refused and nothing was imported: %2 errors.</source>
        <translation>%1 被拒绝，未导入任何内容：共 %2 处错误。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The first %1 are listed.</source>
        <translation>下面列出前 %1 处。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send this list to the core system&apos;s support to correct the file.</source>
        <translation>请将此清单发给核心系统技术支持，以便更正文件。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What is wrong</source>
        <translation>错误内容</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Missing: %1</source>
        <translation>缺少：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Wrong format: %1 = %2</source>
        <translation>格式错误：%1 = %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 is not one of %3</source>
        <translation>%1：%2 不在可选值 %3 之中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 must be %3</source>
        <translation>%1：%2 应为 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 is not of type %3</source>
        <translation>%1：%2 不是 %3 类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: unknown fields %3</source>
        <translation>%1：未知字段 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: longer than %3 characters: %2</source>
        <translation>%1：超过 %3 个字符：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: shorter than %3 characters: %2</source>
        <translation>%1：少于 %3 个字符：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: more than %3 entries</source>
        <translation>%1：超过 %3 项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: needs at least %3 entries</source>
        <translation>%1：至少需要 %3 项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 is below %3</source>
        <translation>%1：%2 小于下限 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 is above %3</source>
        <translation>%1：%2 大于上限 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not a JSON file (line:column %3)</source>
        <translation>不是 JSON 文件（行:列 %3）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not UTF-8 text (at byte %2)</source>
        <translation>不是 UTF-8 文本（第 %2 字节处）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file is too large: %2 bytes, at most %3</source>
        <translation>文件过大：%2 字节，上限为 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: the cover ends (%2) before it starts</source>
        <translation>%1：保险止期（%2）早于起期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: premium total %2 is not the sum of the coverages %3</source>
        <translation>%1：保费合计 %2 不等于各险别保费之和 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: vehicle tax total %2 is not tax plus late fee %3</source>
        <translation>%1：车船税合计 %2 不等于税款加滞纳金 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 is in the file twice</source>
        <translation>%1：%2 在文件中重复出现</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: breaks the rule %4 (%3) %2</source>
        <translation>%1：不符合规则 %4（%3）%2</translation>
    </message>
</context>
<context>
    <name>IntakePanel</name>
    <message>
        <location filename="../../counter_app/ui/intake.py" line="+266"/>
        <source>Claim number:</source>
        <translation>报案号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan or type the claim number, then Enter</source>
        <translation>扫描或输入报案号后回车</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New file (F2)</source>
        <translation>下一件 (F2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print receipt (F9)</source>
        <translation>打印回执 (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Short receipt (Shift+F9)</source>
        <translation>简易回执 (Shift+F9)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scan the claim number (or type it and press Enter). A file that exists opens; otherwise a new one is started.</source>
        <translation>扫描报案号（或输入后回车）。已有收单记录则打开，否则新建。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Claim type:</source>
        <translation>案件类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel:</source>
        <translation>交单渠道：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tracking no.:</source>
        <translation>快递单号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted by:</source>
        <translation>交单人：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone:</source>
        <translation>联系电话：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relation:</source>
        <translation>与被保险人关系：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plate:</source>
        <translation>车牌号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Circumstances:</source>
        <translation>案件情形：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open file (Ctrl+Enter)</source>
        <translation>新建收单 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Space: original · C: copy · + / -: pages · Delete: take back · scan a DOC- barcode to tick it · F9: receipt · Ctrl+F9: barcode card · F2: next file</source>
        <translation>空格：原件 · C：复印件 · + / -：页数 · Delete：撤回 · 扫描 DOC- 条码即勾选 · F9：回执 · Ctrl+F9：条码卡 · F2：下一件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Document</source>
        <translation>单证</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+871"/>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location line="-860"/>
        <source>Counter</source>
        <translation>柜面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Courier / post</source>
        <translation>快递/邮寄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partner point</source>
        <translation>合作网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <source>Repair shop</source>
        <translation>代理维修厂</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Door-to-door pickup</source>
        <translation>上门收单</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The insured</source>
        <translation>被保险人本人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family member</source>
        <translation>家属</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entrusted agent</source>
        <translation>受托人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy only – original needed</source>
        <translation>仅复印件 – 需原件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Missing</source>
        <translation>缺</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>copy</source>
        <translation>复印件</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Open the claim&apos;s file first: scan its claim number.</source>
        <translation>请先打开案件：扫描报案号。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Looking up %1...</source>
        <translation>正在查找 %1...</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>No file for %1 yet: check the claim type, then Ctrl+Enter.</source>
        <translation>%1 尚无收单记录：确认案件类型后按 Ctrl+Enter。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New file for claim %1</source>
        <translation>新建收单：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+431"/>
        <source>The checklists are not loaded yet; try again in a moment.</source>
        <translation>单证清单尚未载入，请稍后再试。</translation>
    </message>
    <message>
        <location line="-426"/>
        <source>A courier delivery needs its tracking number.</source>
        <translation>快递交单须填写快递单号。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>File opened: receipt %1.</source>
        <translation>已建收单，回执号 %1。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Claim %1 · %2 · receipt %3
Submitted by %4 · plate %5 · %6</source>
        <translation>报案号 %1 · %2 · 回执 %3
交单人 %4 · 车牌 %5 · %6</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Complete — by %1 at %2</source>
        <translation>资料已齐 — %1 于 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Missing %1</source>
        <translation>缺 %1 项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>overdue since %1</source>
        <translation>%1 起逾期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>follow up by %1</source>
        <translation>%1 前跟进</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>[original]</source>
        <translation>[需原件]</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>Ticked: %1 (%2).</source>
        <translation>已勾选：%1（%2）。</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+47"/>
        <source>Nothing is ticked on this line yet.</source>
        <translation>此行尚未勾选单证。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Taken back; the correction is kept in the file&apos;s history.</source>
        <translation>已撤回；更正记录保留在案件历史中。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Checklist version %1 (head office has published version %2 for new files)</source>
        <translation>单证清单第 %1 版（总公司已发布第 %2 版，用于新建案件）</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+49"/>
        <source>Open a file first; its receipt is then printed.</source>
        <translation>请先打开案件，再打印回执。</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Writing the receipt...</source>
        <translation>正在生成回执...</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Writing the checklist card...</source>
        <translation>正在生成单证条码卡……</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The checklist card was not printed: %1 It is kept at %2.</source>
        <translation>单证条码卡未打印：%1 文件保存在 %2。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Checklist card printed on %1.</source>
        <translation>单证条码卡已在 %1 打印。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Printing the short receipt...</source>
        <translation>正在打印简易回执……</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Short receipt printed.</source>
        <translation>简易回执已打印。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The short receipt was not printed: %1 Press Shift+F9 to retry.</source>
        <translation>简易回执未打印：%1 请按 Shift+F9 重试。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The receipt was not printed: %1 It is kept at %2; press F9 to retry.</source>
        <translation>回执未打印：%1 文件保存在 %2；按 F9 重试。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Receipt printed (%1 pages) on %2.</source>
        <translation>回执已打印（%1 页）：%2。</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>KioskPanel</name>
    <message>
        <location filename="../../counter_app/ui/kiosk.py" line="+234"/>
        <source>Issue a ticket (press the number key)</source>
        <translation>取号（按数字键）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading the services...</source>
        <translation>正在读取业务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>优先</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal (F5)</source>
        <translation>普通 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Elderly (F6)</source>
        <translation>老年人 (F6)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disabled (F7)</source>
        <translation>残障人士 (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VIP (F8)</source>
        <translation>贵宾 (F8)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Appointment check-in</source>
        <translation>预约签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Booking code:</source>
        <translation>预约码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan or type the code</source>
        <translation>扫描或输入预约码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tickets issued here</source>
        <translation>本机已取号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel ticket</source>
        <translation>取消排号</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 waiting, about %2 min</source>
        <translation>等候 %1 人，约 %2 分钟</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>closed</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Issuing...</source>
        <translation>正在取号…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Ticket %1 issued, %2 ahead.</source>
        <translation>已取号 %1，前面还有 %2 人。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The hub did not answer. Press the same key again: no second ticket.</source>
        <translation>网点服务器未应答。请再按同一个键，不会重复取号。</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Ticket %1 is in the queue but was NOT printed: %2</source>
        <translation>%1 号已排队，但未打印：%2</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Ticket %1 cancelled.</source>
        <translation>%1 号已取消。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Ticket printer: ready</source>
        <translation>排号打印机：就绪</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ticket printer: paper nearly out</source>
        <translation>排号打印机：纸将用尽</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ticket printer: checking...</source>
        <translation>排号打印机：检查中…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket printer: %1</source>
        <translation>排号打印机：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+1"/>
        <source>waiting</source>
        <translation>等候中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NOT printed</source>
        <translation>未打印</translation>
    </message>
</context>
<context>
    <name>LiveQueueView</name>
    <message>
        <location filename="../../counter_app/ui/live_queue.py" line="+82"/>
        <source>Waiting per service</source>
        <translation>各业务等候</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Windows</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Served today per clerk</source>
        <translation>今日各柜员办理量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longest wait</source>
        <translation>最长等候</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Windows open</source>
        <translation>开放窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimate (min)</source>
        <translation>预计（分钟）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Staff</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Serving</source>
        <translation>正在办理</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Served</source>
        <translation>已办理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Average</source>
        <translation>平均用时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Satisfied</source>
        <translation>满意率</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Today %1: issued %2, served %3, satisfied %4</source>
        <translation>今日 %1：取号 %2，办结 %3，满意率 %4</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>open</source>
        <translation>开放</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>closed</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../counter_app/ui/login.py" line="+127"/>
        <source>Service counter - log in</source>
        <translation>柜面系统 - 登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer Service Centre</source>
        <translation>客户服务中心</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings...</source>
        <translation>设置...</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>starting built-in hub...</source>
        <translation>正在启动内置网点服务器...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hub: %1</source>
        <translation>网点服务器：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Connecting to the hub...</source>
        <translation>正在连接网点服务器...</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Please enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Logging in...</source>
        <translation>正在登录...</translation>
    </message>
</context>
<context>
    <name>LoseDialog</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="+493"/>
        <source>Report a lost form</source>
        <translation>登记单证遗失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Form type:</source>
        <translation>单证类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serial:</source>
        <translation>单证号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What happened:</source>
        <translation>遗失经过：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan or type the serial</source>
        <translation>扫描或输入单证号</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 is with %2: %3.</source>
        <translation>%1 在 %2 处：%3。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is not in the list of forms on hand.</source>
        <translation>%1 不在在账单证之中。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose the form type.</source>
        <translation>请选择单证类型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scan or type the serial of the lost form.</source>
        <translation>请扫描或输入遗失单证的单证号。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Say what happened to the form.</source>
        <translation>请说明单证遗失经过。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 recorded as lost.</source>
        <translation>%1 已登记遗失。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="+271"/>
        <source>Service counter - %1</source>
        <translation>柜面系统 - %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2) - %3 - workstation %4</source>
        <translation>%1（%2）- %3 - 工作站 %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings...</source>
        <translation>设置(&amp;S)...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Devices</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulate a barcode scan...</source>
        <translation>模拟扫码...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulated ticket printer: out of paper</source>
        <translation>模拟排号打印机：缺纸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulated ticket printer: switched off</source>
        <translation>模拟排号打印机：关机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dis&amp;play</source>
        <translation>显示屏(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address for a TV display board...</source>
        <translation>电视叫号屏地址…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the display board</source>
        <translation>打开叫号屏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the rating pad</source>
        <translation>打开服务评价器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Hub connected: %1</source>
        <translation>已连接网点服务器：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hub unreachable: %1</source>
        <translation>无法连接网点服务器：%1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Scanned: %1</source>
        <translation>已扫描：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Simulated scanner</source>
        <translation>模拟扫码枪</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Barcode to scan:</source>
        <translation>要扫描的条码：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service counter %1
Hub: %2</source>
        <translation>柜面系统 %1
网点服务器：%2</translation>
    </message>
</context>
<context>
    <name>ManagerWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/manager.py" line="+98"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent actions (audit trail)</source>
        <translation>近期操作（审计日志）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services and windows</source>
        <translation>业务与窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set up services...</source>
        <translation>设置业务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live queue</source>
        <translation>实时排队</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff and audit</source>
        <translation>员工与操作记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incomplete claim files</source>
        <translation>资料不齐案件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Collectors&apos; productivity</source>
        <translation>单证收集工作量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blank forms</source>
        <translation>有价单证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blank-form reconciliation</source>
        <translation>有价单证对账</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject</source>
        <translation>操作对象</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Active</source>
        <translation>已启用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>MisprintDialog</name>
    <message>
        <location filename="../../counter_app/ui/policy_print.py" line="-184"/>
        <source>Misprint</source>
        <translation>错打作废</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Form %1 is voided and kept for the back office; %2 is printed again on the next form. A supervisor approves with their own password.</source>
        <translation>单证 %1 将作废并留交综合内勤；%2 将用下一张单证重打。须由主管输入本人密码审批。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 is printed again on plain paper.</source>
        <translation>%1 将用普通纸重打。</translation>
    </message>
</context>
<context>
    <name>PickupDialog</name>
    <message>
        <location filename="../../counter_app/ui/intake_office.py" line="+20"/>
        <source>New pickup</source>
        <translation>新建上门收单</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Claim number:</source>
        <translation>报案号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From:</source>
        <translation>起始时间：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until:</source>
        <translation>截止时间：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents:</source>
        <translation>待收单证：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign to:</source>
        <translation>指派给：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Separated by commas</source>
        <translation>以逗号分隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Username; empty: assign later</source>
        <translation>用户名；留空则稍后指派</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Please fill in %1.</source>
        <translation>请填写%1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saving...</source>
        <translation>正在保存……</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No staff member has the username %1.</source>
        <translation>没有用户名为 %1 的员工。</translation>
    </message>
</context>
<context>
    <name>PickupPanel</name>
    <message>
        <location line="+130"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New pickup (Ins)</source>
        <translation>新建上门收单 (Ins)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign (F4)</source>
        <translation>指派 (F4)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done (F10)</source>
        <translation>已完成 (F10)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed (F11)</source>
        <translation>未成功 (F11)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Claim number</source>
        <translation>报案号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Window</source>
        <translation>预约时段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned to</source>
        <translation>指派给</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Open</source>
        <translation>待指派</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned</source>
        <translation>已指派</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>未成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 open pickups, %2 of them overdue</source>
        <translation>未完成上门收单 %1 件，其中超时 %2 件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1, overdue</source>
        <translation>%1，已超时</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Documents: %1 · arranged by %2 at %3</source>
        <translation>待收单证：%1 · %2 于 %3 安排</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Pickup for %1 arranged, %2.</source>
        <translation>%1 的上门收单已安排，%2。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Assign the pickup for %1</source>
        <translation>指派 %1 的上门收单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who goes? Username:</source>
        <translation>由谁前往？用户名：</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Pickup for %1 assigned to %2.</source>
        <translation>%1 的上门收单已指派给 %2。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Pickup for %1 failed</source>
        <translation>%1 的上门收单未成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why did it fail?</source>
        <translation>未成功的原因：</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Pickup for %1 done.</source>
        <translation>%1 的上门收单已完成。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pickup for %1 closed as failed: %2</source>
        <translation>%1 的上门收单已关闭（未成功）：%2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No staff member has the username %1.</source>
        <translation>没有用户名为 %1 的员工。</translation>
    </message>
</context>
<context>
    <name>PolicyPrintPanel</name>
    <message>
        <location filename="../../counter_app/ui/policy_print.py" line="+554"/>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Policy or endorsement number, plate or insured&apos;s name (Ctrl+F)</source>
        <translation>保单号、批单号、车牌或被保险人姓名 (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import policy file… (Ctrl+I)</source>
        <translation>导入保单文件… (Ctrl+I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer calibration…</source>
        <translation>打印机校准…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Void a blank form…</source>
        <translation>作废空白单证…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A blank form torn or stained before printing: void it with a supervisor</source>
        <translation>打印前已撕破或污损的空白单证：经主管审批作废</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Policies and endorsements</source>
        <translation>保单与批单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Number</source>
        <translation>单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Product</source>
        <translation>险种</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insured</source>
        <translation>被保险人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+51"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Print queue</source>
        <translation>打印队列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Form</source>
        <translation>单证号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+318"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location line="-317"/>
        <source>Paper</source>
        <translation>用纸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempts</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The form came out right: it is used</source>
        <translation>单证打印无误：记为已使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Misprint…</source>
        <translation>错打作废…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The form is spoiled: void it and print again on the next form</source>
        <translation>单证已打坏：作废并用下一张单证重打</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print the job (again) on the same form; the form must be on top</source>
        <translation>在同一张单证上（重新）打印此任务；该单证须放在最上面</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not printed: its form goes back on the stack</source>
        <translation>不打印：其单证退回，可继续使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print on:</source>
        <translation>用纸：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit to window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off: the preview is the real size of the paper</source>
        <translation>不勾选时：预览按纸张实际大小显示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print (F9)</source>
        <translation>打印 (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print with dialog… (Ctrl+F9)</source>
        <translation>选择打印机打印… (Ctrl+F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as PDF (Ctrl+S)</source>
        <translation>另存为 PDF (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Policy</source>
        <translation>保单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Endorsement</source>
        <translation>批单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Compulsory</source>
        <translation>交强险</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Commercial</source>
        <translation>商业险</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printing</source>
        <translation>打印中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Awaiting confirmation</source>
        <translation>待确认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Misprinted</source>
        <translation>错打作废</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Nothing found for %1.</source>
        <translation>未找到“%1”。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>There is no policy or endorsement %1 yet: import the core system&apos;s file.</source>
        <translation>尚无保单或批单 %1：请先导入核心系统的保单文件。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Not yet</source>
        <translation>尚未打印</translation>
    </message>
    <message>
        <location line="+52"/>
        <location line="+98"/>
        <source>Loading the preview…</source>
        <translation>正在载入预览…</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Pre-printed form %1 (%2)</source>
        <translation>预印单证 %1（%2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plain paper (%1)</source>
        <translation>普通纸（%1）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No layout prints this document.</source>
        <translation>没有可打印此单据的版式。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The preview could not be drawn.</source>
        <translation>无法生成预览。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Scan a policy number, or choose a document on the left.</source>
        <translation>请扫描保单号，或在左侧选择单据。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chosen document is shown here at its real size.</source>
        <translation>所选单据将在此按实际大小显示。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 %2 · %3 · %4 · %5</source>
        <translation>%1 %2 · %3 · %4 · %5</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Printed on %1: printing again is a reprint with a reason.</source>
        <translation>已于 %1 打印：再次打印即为重打，须填写原因。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Put plain paper (%1 × %2 mm) in the printer.</source>
        <translation>请在打印机中放入普通纸（%1 × %2 毫米）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Looking up the next blank form…</source>
        <translation>正在查找下一张空白单证…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Form %1 is still held by the unfinished job of %2 (%3): retry it, report a misprint or cancel it in the queue first.</source>
        <translation>单证 %1 仍被 %2（%3）未完成的打印任务占用：请先在打印队列中重试、错打作废或取消该任务。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>You hold no blank %1 forms: ask the back office for a stack, or print on plain paper.</source>
        <translation>您名下没有空白的 %1 单证：请向综合内勤领用，或用普通纸打印。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+337"/>
        <source>Put form %1 on top of the printer&apos;s stack.</source>
        <translation>请将单证 %1 放在打印机纸叠的最上面。</translation>
    </message>
    <message>
        <location line="-323"/>
        <location line="+93"/>
        <source>A print is still on its way; wait for it.</source>
        <translation>仍有打印在进行中，请稍候。</translation>
    </message>
    <message>
        <location line="-90"/>
        <location line="+532"/>
        <source>Choose a document and its paper first.</source>
        <translation>请先选择单据及用纸。</translation>
    </message>
    <message>
        <location line="-511"/>
        <source>Reprint %1</source>
        <translation>重打 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 was printed before. Why is it printed again?</source>
        <translation>%1 此前已打印过。为什么要重打？</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Not printed: a reprint needs its reason.</source>
        <translation>未打印：重打须填写原因。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Print the form</source>
        <translation>打印单证</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not printed.</source>
        <translation>未打印。</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+23"/>
        <source>Preparing %1…</source>
        <translation>正在准备 %1…</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Interrupted before the printer answered</source>
        <translation>打印机应答前被中断</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Printing %1 on %2…</source>
        <translation>正在 %2 上打印 %1…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1 was not printed: %2 The job keeps its form; press Retry in the queue.</source>
        <translation>%1 未打印：%2 该任务保留其单证；请在打印队列中按“重试”。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 was sent to the printer. Check the form.</source>
        <translation>%1 已发送到打印机，请检查打印结果。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The continuation pages of %1 were not printed: %2</source>
        <translation>%1 的附页未打印：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The continuation pages of %1 went to %2, on plain paper.</source>
        <translation>%1 的附页已发送到 %2，用普通纸打印。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>%1 waits in the queue until you confirm it.</source>
        <translation>%1 在打印队列中等待您确认。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Form %1 is used for %2.</source>
        <translation>单证 %1 已用于 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is printed.</source>
        <translation>%1 已打印。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Form %1 is voided; %2 waits to be printed again.</source>
        <translation>单证 %1 已作废；%2 等待重打。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Print again</source>
        <translation>重打</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Print again on the next form %1?</source>
        <translation>用下一张单证 %1 重打？</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Print %1 again?</source>
        <translation>重打 %1？</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The reprint of %1 waits in the queue.</source>
        <translation>%1 的重打任务在打印队列中等待。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>%1 open jobs. Choose a job to act on it.</source>
        <translation>未完成任务 %1 个。请选择任务进行操作。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 · %2 %3 · %4 · attempt %5 · %6</source>
        <translation>%1 · %2 %3 · %4 · 第 %5 次 · %6</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Form %1: %2</source>
        <translation>单证 %1：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reprint: %1</source>
        <translation>重打原因：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The job for %1 is cancelled.</source>
        <translation>%1 的打印任务已取消。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import policy file</source>
        <translation>导入保单文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Policy files (*.json)</source>
        <translation>保单文件 (*.json)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 imported: %2 added, %3 updated, %4 refused.</source>
        <translation>%1 已导入：新增 %2 份，更新 %3 份，拒绝 %4 份。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 was refused; nothing was imported.</source>
        <translation>%1 被拒绝，未导入任何内容。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Saved at %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choose a document on a pre-printed form first.</source>
        <translation>请先选择一份用预印单证打印的单据。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Form %1 is voided; the next form is used next.</source>
        <translation>单证 %1 已作废，下次打印使用下一张单证。</translation>
    </message>
</context>
<context>
    <name>PrintedQuestion</name>
    <message>
        <location line="-1739"/>
        <source>Check the printed form</source>
        <translation>检查打印结果</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Did form %1 come out right?</source>
        <translation>单证 %1 打印是否正确？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Did %1 come out right on plain paper?</source>
        <translation>%1 在普通纸上打印是否正确？</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Confirm: the form is used for %1. Misprint: the form is voided with a supervisor&apos;s approval and printed again on the next form. Later: the job waits in the print queue.</source>
        <translation>确认：该单证记为 %1 已使用。错打作废：经主管审批作废该单证，并用下一张单证重打。稍后：任务留在打印队列中等待。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Misprint (void)…</source>
        <translation>错打作废…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>PrinterTable</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/reference_views.py" line="-48"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket printer</source>
        <translation>排号票据打印机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Office printer</source>
        <translation>办公打印机</translation>
    </message>
</context>
<context>
    <name>ProductivityPanel</name>
    <message>
        <location filename="../../counter_app/ui/intake_office.py" line="+63"/>
        <source>Day:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Collector</source>
        <translation>单证收集员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Files handled</source>
        <translation>处理案件数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>% of the norm</source>
        <translation>占定额 %</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Norm: %1 files a day per collector; below it in amber.</source>
        <translation>定额：每人每天 %1 件；低于定额以琥珀色显示。</translation>
    </message>
</context>
<context>
    <name>RatingPad</name>
    <message>
        <location filename="../../counter_app/ui/rating_pad.py" line="+132"/>
        <source>Rating pad</source>
        <translation>服务评价器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Welcome. Thank you for your visit.</source>
        <translation>欢迎光临，感谢您的来访。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Very satisfied (1)</source>
        <translation>非常满意 (1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Satisfied (2)</source>
        <translation>满意 (2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Neutral (3)</source>
        <translation>一般 (3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dissatisfied (4)</source>
        <translation>不满意 (4)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Waited too long</source>
        <translation>等候时间长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not professional</source>
        <translation>业务不熟练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too complicated</source>
        <translation>手续繁琐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sorry. What went wrong? (optional)</source>
        <translation>很抱歉。请问哪里让您不满意？（可选）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>提交</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>How satisfied are you with the service for ticket %1?</source>
        <translation>您对 %1 号的服务是否满意？</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+12"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Saved; will be sent when the hub is back.</source>
        <translation>评价已保存，网点服务器恢复后自动提交。</translation>
    </message>
</context>
<context>
    <name>ReconciliationPanel</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="+770"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A day</source>
        <translation>指定日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A month</source>
        <translation>指定月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From – to</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show (F5)</source>
        <translation>查询 (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print report (F9)</source>
        <translation>打印对账表 (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save PDF...</source>
        <translation>保存 PDF...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Form type</source>
        <translation>单证类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder</source>
        <translation>持有人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opening</source>
        <translation>期初结存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>本期领入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Used</source>
        <translation>使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation>遗失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned</source>
        <translation>交回/发出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closing</source>
        <translation>期末结存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gap</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Misprints</source>
        <translation>错打作废</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opening + received − used − voided − lost − returned = closing; the gap is what does not add up. Misprints are used forms voided afterwards, outside the balance.</source>
        <translation>期初结存 + 本期领入 − 使用 − 作废 − 遗失 − 交回/发出 = 期末结存；差异即对不上的数量。错打作废是事后作废的已使用单证，不计入结存。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Day:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <location line="+149"/>
        <source>Loading...</source>
        <translation>正在载入...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: Balanced (%2 lines)</source>
        <translation>%1：对账平衡（共 %2 行）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: 1 line does not balance</source>
        <translation>%1：1 行对账不平</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2 lines do not balance</source>
        <translation>%1：%2 行对账不平</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Save the reconciliation report</source>
        <translation>保存对账表</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Writing the report...</source>
        <translation>正在生成对账表...</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Report saved at %1.</source>
        <translation>对账表已保存到 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The report is saved at %1 but was not printed: %2 Press F9 to retry.</source>
        <translation>对账表已保存到 %1，但未打印：%2 请按 F9 重试。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Report printed on %1 (saved at %2); sign it and file it.</source>
        <translation>对账表已在 %1 打印（保存在 %2），请签字后归档。</translation>
    </message>
</context>
<context>
    <name>ReloginDialog</name>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="-323"/>
        <source>Log in again</source>
        <translation>重新登录</translation>
    </message>
</context>
<context>
    <name>SerialListEdit</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="-1828"/>
        <source>Scan a form, or type a serial or “first last”, then Enter</source>
        <translation>扫描单证，或输入单证号或“起始号 终止号”，然后回车</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One line per bundle: first serial, last serial</source>
        <translation>每捆一行：起始号，终止号</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>%1 forms in %2 lines</source>
        <translation>共 %1 份，%2 行</translation>
    </message>
</context>
<context>
    <name>SerialSpanDialog</name>
    <message>
        <location line="+237"/>
        <source>Receive an allocation from head office</source>
        <translation>接收总公司下发单证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issue forms to a clerk</source>
        <translation>出单员领用单证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take unused forms back into stock</source>
        <translation>收回未用单证入库</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Form type:</source>
        <translation>单证类型：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clerk:</source>
        <translation>出单员：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First serial:</source>
        <translation>起始号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Count:</source>
        <translation>份数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last serial:</source>
        <translation>终止号：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fills in the last serial</source>
        <translation>自动填入终止号</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scan or type, e.g. %1</source>
        <translation>扫描或输入，如 %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Allotted by head office: %1 (%2 forms) %3</source>
        <translation>总公司下发：%1（%2 份）%3</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>Choose the form type.</source>
        <translation>请选择单证类型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the clerk.</source>
        <translation>请选择出单员。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scan or type the first serial.</source>
        <translation>请扫描或输入起始号。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Type the count, or scan or type the last serial.</source>
        <translation>请输入份数，或扫描、输入终止号。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 forms: %2</source>
        <translation>共 %1 份：%2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 forms received into the branch stock: %2.</source>
        <translation>%1 份单证已入网点库存：%2。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 forms issued to %2: %3.</source>
        <translation>%1 份单证已由 %2 领用：%3。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 forms taken back from %2: %3.</source>
        <translation>%1 份单证已从 %2 处收回：%3。</translation>
    </message>
</context>
<context>
    <name>ServiceSetupDialog</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/service_setup.py" line="+42"/>
        <source>Set up a service</source>
        <translation>设置业务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New service...</source>
        <translation>新建业务…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open until midnight</source>
        <translation>营业至午夜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Numbers start again each day</source>
        <translation>每天从 1 开始编号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Takes tickets</source>
        <translation>开放取号</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Window %1</source>
        <translation>%1号窗口</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Service:</source>
        <translation>业务：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code:</source>
        <translation>代码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ticket prefix:</source>
        <translation>号码前缀：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Digits:</source>
        <translation>号码位数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opens at:</source>
        <translation>开始时间：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closes at:</source>
        <translation>结束时间：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Minutes per customer:</source>
        <translation>每位客户用时（分钟）：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Windows that serve it:</source>
        <translation>办理窗口：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Staff who serve it (none ticked: every counter post):</source>
        <translation>办理人员（都不勾选：所有柜面岗位）：</translation>
    </message>
</context>
<context>
    <name>ServiceTable</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/reference_views.py" line="-30"/>
        <source>Prefix</source>
        <translation>号码前缀</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Windows</source>
        <translation>窗口</translation>
    </message>
</context>
<context>
    <name>ServicesWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/posts.py" line="-42"/>
        <source>Live queue</source>
        <translation>实时排队</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services and printers</source>
        <translation>业务与打印机</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Services and windows</source>
        <translation>业务与窗口</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Claim document checklists</source>
        <translation>理赔单证清单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../counter_app/ui/settings_dialog.py" line="+36"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>Not saved: the hub address must start with http:// or https://</source>
        <translation>未保存：网点服务器地址必须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not saved: the value of “%1” is not valid.</source>
        <translation>未保存：“%1”的值无效。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not saved: the settings file cannot be written (%1).</source>
        <translation>未保存：无法写入设置文件（%1）。</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/staff_admin.py" line="-229"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password again</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Add staff member</source>
        <translation>新增员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change roles</source>
        <translation>修改岗位</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose at least one role.</source>
        <translation>请至少选择一个岗位。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter a username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saving...</source>
        <translation>正在保存...</translation>
    </message>
</context>
<context>
    <name>StockTakeDialog</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="+292"/>
        <source>Stock-take</source>
        <translation>盘点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder:</source>
        <translation>持有人：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Form type:</source>
        <translation>单证类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counted:</source>
        <translation>实盘：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare (Enter)</source>
        <translation>核对 (Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print sheet</source>
        <translation>打印盘点表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save sheet PDF...</source>
        <translation>保存盘点表 PDF...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>起始号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>终止号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forms</source>
        <translation>份数</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Choose the form type.</source>
        <translation>请选择单证类型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the holder.</source>
        <translation>请选择持有人。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Comparing...</source>
        <translation>正在核对...</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The ledger says %1 holds %2 blank forms of this type. Count them, then Compare.</source>
        <translation>账面显示 %1 持有此类空白单证 %2 份。请清点后按“核对”。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Matches: %1 has exactly the forms the ledger says.</source>
        <translation>账实相符：%1 持有的单证与账面完全一致。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Does not match: %1 ranges missing, %2 ranges not in the ledger.</source>
        <translation>账实不符：账有实无 %1 段，实有账无 %2 段。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Missing (账有实无)</source>
        <translation>账有实无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unexpected (实有账无)</source>
        <translation>实有账无</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Save the stock-take sheet</source>
        <translation>保存盘点表</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Writing the sheet...</source>
        <translation>正在生成盘点表...</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sheet saved at %1.</source>
        <translation>盘点表已保存到 %1。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The sheet is saved at %1 but was not printed: %2</source>
        <translation>盘点表已保存到 %1，但未打印：%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sheet printed on %1.</source>
        <translation>盘点表已在 %1 打印。</translation>
    </message>
</context>
<context>
    <name>SupervisedVoidDialog</name>
    <message>
        <location filename="../../counter_app/ui/policy_print.py" line="+77"/>
        <source>What went wrong:</source>
        <translation>错打原因：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor:</source>
        <translation>主管：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor&apos;s password:</source>
        <translation>主管密码：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Printed out of place</source>
        <translation>打印错位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>卡纸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed only partly</source>
        <translation>打印不全</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong form in the printer</source>
        <translation>放错单证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Smudged or torn</source>
        <translation>污损或撕破</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Say what went wrong.</source>
        <translation>请说明错打原因。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A supervisor approves voiding the form: username and password.</source>
        <translation>作废单证须主管审批：请输入主管的用户名和密码。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Voiding…</source>
        <translation>正在作废…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Voiding a form needs a supervisor&apos;s approval: a manager&apos;s username and password. Nothing was voided.</source>
        <translation>作废单证须主管审批：请输入经理的用户名和密码。未作废任何单证。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The supervisor&apos;s username or password is wrong. Nothing was voided; try again.</source>
        <translation>主管用户名或密码错误。未作废任何单证，请重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 may not approve voiding forms; ask the centre manager.</source>
        <translation>%1 无权审批单证作废，请找客服中心经理。</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../counter_app/ui/sync_indicator.py" line="+148"/>
        <source>Demo data is never sent to head office.</source>
        <translation>演示数据不会上传总公司。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This branch hub is not enrolled with head office: its records stay in the branch. Branch IT enrols it once (counter-app hub enrol).</source>
        <translation>本网点服务器尚未登记到总公司：数据只保存在本网点。请网点IT人员执行一次登记（counter-app hub enrol）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not enrolled with head office (this branch only)</source>
        <translation>未登记总公司（仅本网点）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Upgrade this hub: head office no longer takes its records · %1 to send</source>
        <translation>请升级网点服务器：总公司已不再接收其版本的数据 · 待发送 %1 条</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sync restarting · %1 to send · in %2 s</source>
        <translation>同步重启中 · 待发 %1 条 · %2 秒后</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sync restarting · %1 to send</source>
        <translation>同步重启中 · 待发 %1 条</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office refuses the records · %1 to send · retry in %2 s</source>
        <translation>总公司拒收数据 · 待发 %1 条 · %2 秒后重试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head office refuses the records · %1 to send · retrying</source>
        <translation>总公司拒收数据 · 待发 %1 条 · 正在重试</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office link down · %1 to send · retry in %2 s</source>
        <translation>总公司连接中断 · 待发 %1 条 · %2 秒后重试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head office link down · %1 to send · retrying</source>
        <translation>总公司连接中断 · 待发 %1 条 · 正在重试</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Syncing · %1 to send</source>
        <translation>正在同步 · 待发 %1 条</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Head office sync OK</source>
        <translation>总公司同步正常</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head office sync OK · %1</source>
        <translation>总公司同步正常 · %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>not yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reference data from head office: publication %1, checked %2</source>
        <translation>总公司基础数据：发布版本 %1，检查于 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reference data from head office: not checked yet</source>
        <translation>总公司基础数据：尚未检查</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Branch %1 sends its records to head office by itself.
Last sent: %2</source>
        <translation>网点 %1 自动向总公司发送数据。
最近一次发送成功：%2</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../counter_app/ui/counter_panel.py" line="-502"/>
        <source>Transfer ticket %1</source>
        <translation>转移 %1 号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(same service)</source>
        <translation>（业务不变）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(any window)</source>
        <translation>（任意窗口）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Service:</source>
        <translation>业务：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Window:</source>
        <translation>窗口：</translation>
    </message>
</context>
<context>
    <name>VoidBlankDialog</name>
    <message>
        <location filename="../../counter_app/ui/policy_print.py" line="+85"/>
        <source>Void a blank form</source>
        <translation>作废空白单证</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A blank form that cannot be printed on is voided and kept for the back office. A supervisor approves with their own password.</source>
        <translation>无法使用的空白单证作废后交综合内勤留存。须由主管输入本人密码审批。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Form (scan or type):</source>
        <translation>单证号（扫描或输入）：</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/base.py" line="+73"/>
        <source>Could not complete</source>
        <translation>操作未完成</translation>
    </message>
</context>
<context>
    <name>WriteOffDialog</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="-408"/>
        <source>Write off returned forms</source>
        <translation>交回单证回销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clerk:</source>
        <translation>出单员：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Form type:</source>
        <translation>单证类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only these serials (scan each form handed back):</source>
        <translation>仅回销以下单证号（逐张扫描交回的单证）：</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Everything used and voided they hold (%1 forms)</source>
        <translation>其名下全部已使用和已作废单证（%1 份）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the form type.</source>
        <translation>请选择单证类型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the clerk.</source>
        <translation>请选择出单员。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scan or type the serials handed back.</source>
        <translation>请扫描或输入交回的单证号。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 %2 forms of %3 written off.</source>
        <translation>已回销 %3 的 %2 单证 %1 份。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Nothing to write off: they hold no used or voided forms.</source>
        <translation>无可回销单证：其名下没有已使用或已作废的单证。</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <location filename="../../counter_app/ui/messages.py" line="+434"/>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logged out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login refused: account locked</source>
        <translation>拒绝登录：账号已锁定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login refused: account disabled</source>
        <translation>拒绝登录：账号已停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member added</source>
        <translation>新增员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member enabled</source>
        <translation>启用员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member disabled</source>
        <translation>停用员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roles changed</source>
        <translation>修改岗位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password set</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch code or name set</source>
        <translation>设置网点代码或名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demo data loaded</source>
        <translation>加载演示数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ticket reprinted</source>
        <translation>补打排号票</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ticket cancelled</source>
        <translation>取消排号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appointment booked</source>
        <translation>登记预约</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appointment checked in</source>
        <translation>预约签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service set up</source>
        <translation>设置业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Board display link created</source>
        <translation>生成叫号屏地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Board display link revoked</source>
        <translation>撤销叫号屏地址</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location line="-430"/>
        <source>Please log in.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many wrong passwords: this account is locked until {until}. Ask the administrator to reset the password.</source>
        <translation>密码错误次数过多，该账号已锁定至 {until}。请联系系统管理员重置密码。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This account is disabled. Please contact the administrator.</source>
        <translation>该账号已停用，请联系系统管理员。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your login has expired. Please log in again; nothing you typed is lost.</source>
        <translation>登录已过期，请重新登录；已输入的内容不会丢失。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your role does not allow this.</source>
        <translation>您的岗位无权执行此操作。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Some of the input is not valid.</source>
        <translation>部分输入内容无效。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The username {username} is already in use.</source>
        <translation>用户名 {username} 已被使用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password is too weak: at least {min_length} characters, not the username, not one repeated character.</source>
        <translation>密码强度不足：至少 {min_length} 个字符，不能与用户名相同，也不能由同一个字符重复组成。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A username is 2 to 32 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>用户名须由 2 至 32 个字母、数字或“.”“_”“-”组成。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unknown role: {role}</source>
        <translation>未知岗位：{role}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last active administrator cannot be disabled or lose the admin role.</source>
        <translation>最后一名在用的系统管理员不能被停用，也不能被取消系统管理员岗位。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is a demo database; it can never be connected to head office.</source>
        <translation>这是演示数据库，不能接入总公司系统。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The branch database reported an error; nothing was changed.</source>
        <translation>网点数据库报错，未做任何更改。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The disk of the branch hub is full; nothing was saved. Free some space.</source>
        <translation>网点服务器磁盘已满，未保存任何内容。请清理磁盘空间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The branch database cannot be written (read-only file or folder).</source>
        <translation>网点数据库无法写入（文件或文件夹为只读）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The branch database file is damaged. Stop and restore it from the backup; nothing was changed.</source>
        <translation>网点数据库文件已损坏，请停止使用并从备份恢复；未做任何更改。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The database was made by a newer version of the program ({database}); please install the newer version.</source>
        <translation>数据库由更高版本的程序创建（{database}），请安装新版本程序。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another hub (process {pid}) is already running on this data folder; this one was not started.</source>
        <translation>已有另一个网点服务器（进程 {pid}）在使用此数据文件夹，本服务器未启动。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot reach the branch hub. Reconnecting by itself; nothing typed is lost.</source>
        <translation>无法连接网点服务器，正在自动重连；已输入的内容不会丢失。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The hub sent an answer this program cannot read.</source>
        <translation>网点服务器返回了本程序无法识别的应答。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The hub runs a different program version (hub {hub}, this counter {program}). Update this counter or the hub.</source>
        <translation>网点服务器与本柜面的程序版本不一致（网点服务器 {hub}，本柜面 {program}）。请更新本柜面或网点服务器。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The built-in hub could not start: {reason}</source>
        <translation>内置网点服务器无法启动：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Internal error in the hub; it has been logged.</source>
        <translation>网点服务器内部错误，已记录日志。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This ticket has changed meanwhile and this step is no longer possible. Refresh the queue and try again.</source>
        <translation>该号在此期间已有变化，此操作已无法进行。请刷新队列后重试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>There is no service {service}. Choose a service from the list.</source>
        <translation>没有业务 {service}。请从列表中选择业务。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service {service} takes tickets only from {opens_at} to {closes_at}.</source>
        <translation>业务 {service} 只在 {opens_at} 至 {closes_at} 取号。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no window {window}. Check the window number in this counter&apos;s settings.</source>
        <translation>没有 {window} 号窗口。请检查本柜台设置中的窗口号。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window {window} does not serve this service for you. Choose another window, or ask the manager to change what it serves.</source>
        <translation>{window} 号窗口不为您办理此业务。请选择其他窗口，或请经理调整窗口业务。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Window {window} is paused; resume it first.</source>
        <translation>{window} 号窗口已暂停，请先恢复。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window {window} is in use by another staff member. Ask them to close it, or ask the manager.</source>
        <translation>{window} 号窗口正由其他员工使用。请对方关窗，或联系经理。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Window {window} has no ticket at the moment; call the next one first.</source>
        <translation>{window} 号窗口当前没有号，请先呼叫下一位。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This ticket no longer exists. Refresh the queue.</source>
        <translation>该号已不存在。请刷新队列。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket {number} missed its call more than {minutes} minutes ago and cannot be put back in the queue. Issue a new ticket.</source>
        <translation>{number} 号过号已超过 {minutes} 分钟，不能恢复排队。请重新取号。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No appointment has the code {appointment}. Check the code and try again.</source>
        <translation>没有预约码为 {appointment} 的预约。请核对后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Appointment {appointment} is booked for {slot}, not for today.</source>
        <translation>预约 {appointment} 的时间是 {slot}，不是今天。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Appointment {appointment} has already been checked in.</source>
        <translation>预约 {appointment} 已签到。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The call was not accepted (malformed request). Press Call next again.</source>
        <translation>呼叫未被接受（请求格式有误）。请再按“呼叫下一位”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ticket prefix {prefix} is already used by service {service}.</source>
        <translation>号码前缀 {prefix} 已被业务 {service} 使用。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Please check {field}: the entry is not valid. Nothing was saved.</source>
        <translation>请检查{field}：填写有误，未保存。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{value} is not a claim report number. Check it and scan or type it again.</source>
        <translation>{value} 不是有效的报案号，请核对后重新扫描或输入。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no checklist for this claim type. Reload, or ask head office.</source>
        <translation>该案件类型没有单证清单，请刷新或联系总公司。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{document} is not on this claim type&apos;s checklist; nothing was ticked.</source>
        <translation>{document} 不在该案件类型的单证清单中，未勾选。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{document} does not apply to this file&apos;s circumstances; nothing was ticked. If it does apply, tick the circumstance first.</source>
        <translation>{document} 不适用于本案情形，未勾选。如确需此单证，请先勾选相应情形。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{document} is already ticked; nothing was changed.</source>
        <translation>{document} 已勾选，未作改动。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This document has already been taken back. The file is shown as it is now.</source>
        <translation>该单证已被撤回，现显示案件的最新状态。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no intake file for this.</source>
        <translation>没有对应的收单记录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This file has left the counter (handed over or archived) and can no longer be changed.</source>
        <translation>该案件已移交或归档，不能再修改。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file still lacks documents; only complete files can go on.</source>
        <translation>资料尚未收齐，只有资料齐全的案件才能继续。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Claim {claim_number} already has a file (opened at another counter); the documents go into that file.</source>
        <translation>报案号 {claim_number} 已有收单记录（其他柜台已建），单证将计入该记录。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This pickup no longer exists. Refresh the list.</source>
        <translation>该上门收单任务已不存在，请刷新列表。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no handover batch {batch}.</source>
        <translation>没有交接批次 {batch}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This range overlaps serials the branch already has; nothing was received. Check the first and last serial on head office&apos;s allocation.</source>
        <translation>该号段与网点已有的单证号重叠，未入库。请核对总公司下发单上的起始号和终止号。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{serial} is not a serial of this form type (they look like {example}).</source>
        <translation>{serial} 不是此类单证的单证号（格式如 {example}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A range runs from its first serial to its last (not backwards) and holds at most 100,000 forms.</source>
        <translation>号段须从起始号到终止号（不能倒序），且最多 100,000 份。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not every form can make this move: one is in another state or with someone else. Nothing was changed.</source>
        <translation>并非所有单证都能办理此操作：有单证处于其他状态或在他人名下。未作任何更改。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No blank forms of this type are left with this clerk; the back office issues more.</source>
        <translation>该出单员名下已无此类空白单证，请向综合内勤领用。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This serial is not in the branch&apos;s ledger: it was never received here.</source>
        <translation>该单证号不在网点台账中：本网点从未入库此单证。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A void is approved by a supervisor, not by the clerk who printed the form.</source>
        <translation>作废须由主管审批，不能由打印该单证的出单员本人审批。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no blank-form type {form_type}. Refresh the list.</source>
        <translation>没有单证类型 {form_type}。请刷新列表。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No policy or endorsement {number} has been imported; import its file first.</source>
        <translation>尚未导入保单或批单 {number}，请先导入其保单文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no form layout {layout}; ask IT to check printers/forms.</source>
        <translation>没有单证版式 {layout}，请联系IT人员检查 printers/forms。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+23"/>
        <source>The layout {layout} prints other documents; choose one that fits this one.</source>
        <translation>版式 {layout} 用于打印其他单据，请选择适合本单据的版式。</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>{document} was printed before: a reprint needs its reason.</source>
        <translation>{document} 此前已打印：重打须填写原因。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This print job is not in your queue (any more). Refresh the queue.</source>
        <translation>该打印任务不在（或已不在）您的打印队列中。请刷新队列。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The print job is {state} now, so this cannot be done with it. Refresh the queue.</source>
        <translation>该打印任务当前状态为 {state}，无法执行此操作。请刷新队列。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This document fits on its form: it has no continuation pages.</source>
        <translation>该单据在单证上已能完整打印，没有附页。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The calibration value {key} = {value} is out of range (shifts up to 20 mm, scale 0.9 to 1.1). Measure the calibration page again.</source>
        <translation>校准值 {key} = {value} 超出范围（偏移最多 20 毫米，缩放 0.9 至 1.1）。请重新测量校准页。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The form layout {file} is not valid at {key}: {reason}. Ask IT.</source>
        <translation>单证版式 {file} 的 {key} 处无效：{reason}。请联系IT人员。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The policy file has {count} errors and nothing was imported; each error is listed with where it is. Ask the core system&apos;s support to correct the export.</source>
        <translation>保单文件有 {count} 处错误，未导入任何内容；已逐条列出错误及其位置。请联系核心系统技术支持更正导出文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This policy was printed already; a change to it comes from the core system as an endorsement.</source>
        <translation>该保单已打印；如有变更，须由核心系统出具批单。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The supervisor&apos;s name or password is wrong; nothing was voided. The supervisor types their own password.</source>
        <translation>主管用户名或密码错误，未作废任何单证。须由主管本人输入密码。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The barcode scanner cannot be opened: {port}</source>
        <translation>无法打开扫码枪：{port}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ticket printer {printer} cannot be reached ({reason}). The ticket is kept in the queue; check the printer&apos;s power and cable, then press Reprint.</source>
        <translation>无法连接排号打印机 {printer}（{reason}）。该号已保留在队列中；请检查打印机电源和连线，然后按“补打”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The ticket printer {printer} is out of paper. The ticket is kept in the queue; load paper and press Reprint.</source>
        <translation>排号打印机 {printer} 缺纸。该号已保留在队列中；请装纸后按“补打”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The cover of the ticket printer {printer} is open. The ticket is kept in the queue; close the cover and press Reprint.</source>
        <translation>排号打印机 {printer} 的盖子未关。该号已保留在队列中；请合上盖子后按“补打”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The ticket printer {printer} reported an error ({reason}). The ticket is kept in the queue; check the printer and press Reprint.</source>
        <translation>排号打印机 {printer} 报告故障（{reason}）。该号已保留在队列中；请检查打印机后按“补打”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The printer connection {connection} is not valid: {reason}</source>
        <translation>打印机连接 {connection} 无效：{reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The printer profile {profile} is missing or not valid: {reason}</source>
        <translation>打印机配置 {profile} 缺失或无效：{reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The office printer could not print ({detail}).</source>
        <translation>办公打印机未能打印（{detail}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No Chinese font for printing is installed (WenQuanYi Micro Hei); ask IT.</source>
        <translation>未安装打印用的中文字体（文泉驿微米黑），请联系IT人员。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The board&apos;s voice clip {clip} is missing or unreadable; calls are not spoken.</source>
        <translation>叫号屏语音片段 {clip} 缺失或无法读取，叫号将不播报语音。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This display key no longer exists. Refresh the list.</source>
        <translation>该叫号屏密钥已不存在。请刷新列表。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The call {number} to window {window} cannot be spoken with the voice clips.</source>
        <translation>无法用语音片段播报“{number} 号到 {window} 号窗口”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A setting is not valid: {detail}</source>
        <translation>设置项无效：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office cannot be reached ({reason}); everything is kept and sent when it is back.</source>
        <translation>无法连接总公司（{reason}）；所有数据均已保留，连接恢复后自动发送。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hub&apos;s sync process stopped ({reason}); it is started again by itself and everything is kept. If this keeps coming back, tell IT.</source>
        <translation>网点服务器的同步进程已停止（{reason}）；它会自动重新启动，所有数据均已保留。如反复出现，请联系 IT。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office refused the records ({reason}); everything is kept and sent again. Tell head-office IT.</source>
        <translation>总公司拒收数据（{reason}）；所有数据均已保留，将自动重新发送。请告知总公司IT人员。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office does not know this login as this branch&apos;s; the hub was not enrolled. Check the branch code and the login head-office IT gave for it.</source>
        <translation>总公司不认可该登录属于本网点，网点服务器未登记。请核对网点代码及总公司IT人员为本网点提供的登录信息。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another hub is enrolled for branch {branch}; this one sends nothing. Head-office IT releases the branch before this PC takes over. Everything is kept here meanwhile.</source>
        <translation>网点 {branch} 已由另一台网点服务器登记，本机暂不上传。须由总公司 IT 先解除该网点的登记，本机才能接替。期间所有数据都保留在本机。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This PC&apos;s clock is off by more than allowed (head office: {headoffice_time}, this hub: {hub_time}); nothing is sent until the clock is set right.</source>
        <translation>本机时钟偏差超出允许范围（总公司：{headoffice_time}，本网点服务器：{hub_time}）；校准时钟之前不上传任何数据。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A change arrived stamped {minutes} minutes ahead of this clock; one of the two clocks is wrong. Nothing was applied: set the time right and it syncs by itself.</source>
        <translation>收到的一条修改的时间戳比本机时钟快 {minutes} 分钟，双方有一方时钟不准。未应用任何内容：校准时间后会自动同步。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This hub&apos;s identity file is damaged; ask IT to enrol the hub again.</source>
        <translation>本网点服务器的身份文件已损坏，请联系 IT 重新登记。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This hub&apos;s folder was copied from another PC (it is not the hub enrolled on this PC), so it sends nothing: two hubs must never send as one branch. Branch IT runs &quot;counter-app hub enrol&quot; on this PC; head-office IT then releases the branch to it. Everything is kept here meanwhile.</source>
        <translation>此网点服务器的文件夹是从另一台电脑复制来的（不是本机登记的网点服务器），因此不发送任何数据：两台网点服务器绝不能以同一网点身份发送。请网点 IT 在本机运行 &quot;counter-app hub enrol&quot;，再由总公司 IT 将该网点释放给它。在此期间所有数据都保留在本地。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Head office offers no encrypted connection (TLS), and this hub requires one ({reason}); nothing is sent. Head-office IT turns TLS on, or branch IT enrols the hub again with another --sslmode.</source>
        <translation>总公司未提供加密连接（TLS），而本网点服务器要求加密（{reason}）；未发送任何数据。请总公司 IT 开启 TLS，或由网点 IT 用其他 --sslmode 重新登记网点服务器。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The encrypted connection to head office failed ({reason}); nothing is sent. Branch IT checks head office&apos;s CA certificate (--sslrootcert) and that the address is the name on head office&apos;s certificate.</source>
        <translation>与总公司的加密连接失败（{reason}）；未发送任何数据。请网点 IT 检查总公司的 CA 证书（--sslrootcert），并确认地址与总公司证书上的名称一致。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The CA certificate file {path} does not exist. Copy head office&apos;s CA certificate to this PC and give its path with --sslrootcert.</source>
        <translation>CA 证书文件 {path} 不存在。请将总公司的 CA 证书复制到本机，并用 --sslrootcert 指定其路径。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office waits for the batch before batch {batch}; it is sent again by itself.</source>
        <translation>总公司须先收到第 {batch} 批之前的批次；系统会自动重新发送。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Head office already holds this branch&apos;s batch {batch} with other records: this branch&apos;s database seems to have started over. Nothing is sent; call head-office IT.</source>
        <translation>总公司已有本网点第 {batch} 批，但内容不同：本网点数据库似乎被重新建立。已停止上传，请联系总公司 IT。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This hub&apos;s software is older than head office accepts: upgrade the hub. The counters go on working and nothing is lost; the records are sent after the upgrade.</source>
        <translation>本网点服务器的软件版本低于总公司可接收的版本：请升级网点服务器。柜台照常工作，数据不会丢失；升级后会自动发送。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office has not been upgraded to this hub&apos;s version yet; nothing is lost and the records are sent by themselves once it has.</source>
        <translation>总公司尚未升级到本网点服务器的版本；数据不会丢失，总公司升级后会自动发送。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The reference data was not published; nothing changed: {detail}</source>
        <translation>基础数据未发布，未做任何更改：{detail}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Head office has no branch {branch}.</source>
        <translation>总公司没有网点 {branch}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head office&apos;s database cannot be reached; check the address, the network and that PostgreSQL runs. ({detail})</source>
        <translation>无法连接总公司数据库；请检查地址、网络以及 PostgreSQL 是否在运行。（{detail}）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office&apos;s database refused: check the login, its password and its privileges. ({detail})</source>
        <translation>总公司数据库拒绝了请求：请检查登录名、密码及其权限。（{detail}）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office&apos;s database has no head-office tables yet: run &quot;counter-app headoffice init&quot; first.</source>
        <translation>总公司数据库中还没有总公司数据表：请先运行“counter-app headoffice init”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head office&apos;s tables {tables} differ from this program version&apos;s; nothing was changed. Update the program or the database.</source>
        <translation>总公司数据表 {tables} 与本程序版本不一致，未做任何更改。请升级程序或数据库。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This is not a PostgreSQL connection string: postgresql://USER@HOST:PORT/DBNAME or key=value pairs.</source>
        <translation>这不是 PostgreSQL 连接串：应为 postgresql://USER@HOST:PORT/DBNAME 或 key=value 形式。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{value} is not a branch code: 2 to 16 capital letters A-Z or digits.</source>
        <translation>{value} 不是有效的网点代码：应为 2 至 16 位大写字母 A-Z 或数字。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A branch name is 1 to 64 characters.</source>
        <translation>网点名称为 1 至 64 个字符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Branch {branch} exists already at head office (or its PostgreSQL login does).</source>
        <translation>网点 {branch} 在总公司已存在（或其 PostgreSQL 登录已存在）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The system keyring is not available; credentials cannot be stored.</source>
        <translation>系统密钥环不可用，无法保存登录凭据。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error {code}: {detail}</source>
        <translation>错误 {code}：{detail}</translation>
    </message>
</context>
<context>
    <name>forms</name>
    <message>
        <location filename="../../counter_app/ui/forms_stock.py" line="-916"/>
        <source>In stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued, blank</source>
        <translation>已领用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Used</source>
        <translation>已使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation>已遗失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Written off</source>
        <translation>已回销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Branch stock</source>
        <translation>网点库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first one refused: %1 (%2, %3).</source>
        <translation>首个被拒单证：%1（%2，%3）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first one refused: %1.</source>
        <translation>首个被拒单证：%1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first one refused is %1.</source>
        <translation>首个被拒单证的状态：%1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The branch already has %1.</source>
        <translation>网点已有 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../../counter_app/ui/messages.py" line="+25"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Front-desk guide</source>
        <translation>前台引导岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuing / endorsement clerk</source>
        <translation>出单批改岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claim-document collector</source>
        <translation>单证收集岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New-channel support</source>
        <translation>新渠道支持岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back office</source>
        <translation>综合内勤岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer service</source>
        <translation>客服岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Centre manager</source>
        <translation>客服中心经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../counter_app/config/settings.py" line="+114"/>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Branch hub address (empty: built-in hub on this computer)</source>
        <translation>网点服务器地址（留空：使用本机内置网点服务器）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Workstation name (empty: computer name)</source>
        <translation>工作站名称（留空：使用计算机名）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Use simulated devices when none configured</source>
        <translation>未配置设备时使用模拟设备</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Serial barcode scanner port (optional)</source>
        <translation>串口扫码枪端口（可选）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Serial scanner baud rate</source>
        <translation>串口扫码枪波特率</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Max milliseconds between keys of a scan</source>
        <translation>扫码按键最大间隔（毫秒）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Shortest barcode accepted from a keyboard scanner</source>
        <translation>键盘式扫码枪最短条码长度</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Seconds between reconnect attempts</source>
        <translation>重连间隔（秒）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Display board voice</source>
        <translation>叫号屏语音</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System Chinese voice</source>
        <translation>系统中文语音</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded clips</source>
        <translation>录音片段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Times each call is spoken</source>
        <translation>每次叫号播报次数</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Pause between repeats (ms)</source>
        <translation>重复播报间隔（毫秒）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hub listen address</source>
        <translation>网点服务器监听地址</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hub listen port</source>
        <translation>网点服务器监听端口</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes a login stays valid</source>
        <translation>登录有效时长（分钟）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wrong passwords before an account is locked</source>
        <translation>账号锁定前允许的密码错误次数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes an account stays locked</source>
        <translation>账号锁定时长（分钟）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Branch code (from head office)</source>
        <translation>网点代码（由总公司分配）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Branch name</source>
        <translation>网点名称</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Branch time zone (IANA name)</source>
        <translation>网点时区（IANA 名称）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Local time at which ticket numbers start again</source>
        <translation>排号重新从 1 开始的当地时间</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Call order</source>
        <translation>叫号顺序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>First come, first served</source>
        <translation>先到先叫</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority counts as earlier arrival</source>
        <translation>优先号视为提前到达</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N normal tickets, then 1 priority</source>
        <translation>每 N 个普通号插 1 个优先号</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Normal tickets called between two priority tickets</source>
        <translation>两个优先号之间叫的普通号数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes of head start for a priority ticket (weighted order)</source>
        <translation>优先号提前的分钟数（加权顺序）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes after which a waiting ticket is called first</source>
        <translation>等候超过多少分钟即优先呼叫</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes during which a no-show ticket can be reinstated</source>
        <translation>过号后可恢复排队的分钟数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes before its slot an appointment is called</source>
        <translation>预约号提前多少分钟呼叫</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Pattern of a claim report number (regular expression)</source>
        <translation>报案号格式（正则表达式）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Days until an incomplete claim file is followed up</source>
        <translation>资料不齐案件的跟进天数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contact phone printed on intake receipts</source>
        <translation>收单回执上的咨询电话</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Counter window number (0: choose)</source>
        <translation>本柜台窗口号（0：登录后选择）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Key to call the next ticket</source>
        <translation>呼叫下一位的按键</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rating pad timeout (seconds)</source>
        <translation>评价器等待时间（秒）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Office printer for receipts and lists (empty: the default)</source>
        <translation>打印回执和清单的办公打印机（留空：系统默认）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Printer for policy forms (empty: choose in the print dialog)</source>
        <translation>保单单证打印机（留空：在打印对话框中选择）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ticket printer connection</source>
        <translation>排号打印机连接</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ticket printer profile</source>
        <translation>排号打印机型号配置</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Display board screen (-1: last)</source>
        <translation>叫号屏所在屏幕（-1：最后一块）</translation>
    </message>
</context>
<context>
    <name>tabs</name>
    <message>
        <location filename="../../counter_app/ui/messages.py" line="-17"/>
        <source>Guide</source>
        <translation>前台引导</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuing</source>
        <translation>出单批改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claims</source>
        <translation>单证收集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channels</source>
        <translation>新渠道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office</source>
        <translation>综合内勤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>客服</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin</source>
        <translation>系统管理</translation>
    </message>
</context>
</TS>
